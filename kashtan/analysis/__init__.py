"""Analysis: measures and studies computed from runs and archives (broadness, dynamics, distance, adaptation, Qm calibration) and the statistics the reports use."""
