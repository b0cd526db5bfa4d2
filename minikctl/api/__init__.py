"""The API half of minikctl: kinds, defaults, validation, selectors, merging."""
