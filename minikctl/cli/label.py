"""kubectl label."""

from minikctl.cli.metadata_edit import FLAGS, MetadataEditor

SUMMARY = "Update the labels on a resource."
run = MetadataEditor("labels", "labeled", "unlabeled").run
