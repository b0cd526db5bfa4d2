"""minikctl: kubectl, without a cluster."""

__version__ = "0.1.0"
