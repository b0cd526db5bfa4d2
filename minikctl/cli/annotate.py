"""kubectl annotate."""

from minikctl.cli.metadata_edit import FLAGS, MetadataEditor

SUMMARY = "Update the annotations on a resource."
run = MetadataEditor("annotations", "annotated", "annotated").run
