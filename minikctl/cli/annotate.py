"""kubectl annotate."""

from minikctl.cli import metadata_edit
from minikctl.cli.metadata_edit import MetadataEditor

FLAGS = metadata_edit.FLAGS
SUMMARY = "Update the annotations on a resource."
run = MetadataEditor("annotations", "annotated", "annotated").run
