"""The replication configs, installed as ``kashtan.configs`` (see kashtan/shipped.py)."""
