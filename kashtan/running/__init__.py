"""Running: one seed, campaigns, their run directories and archives, locks, stops, clusters and provenance."""
