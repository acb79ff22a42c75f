"""Configuration: reading, defaulting and checking configs, and building the problem, goals and evolution they describe."""
