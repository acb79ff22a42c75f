"""The replication configs, installed as ``kashtan.configs`` (see kashtan/configuration/shipped.py)."""
