"""How pods reach each other, computed from the state: cluster DNS (dns.py) and kube-proxy (proxy.py)."""
