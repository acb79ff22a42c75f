"""kashtan."""
