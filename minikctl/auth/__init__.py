"""Who the caller is and what they may do: impersonation, the RBAC authorizer, the default policy.

Imported only when a command runs with --as or asks `auth`; the admin path never loads it.
"""
