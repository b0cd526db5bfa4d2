"""kubectl label."""

from minikctl.cli import metadata_edit
from minikctl.cli.metadata_edit import MetadataEditor

FLAGS = metadata_edit.FLAGS
SUMMARY = "Update the labels on a resource."
run = MetadataEditor("labels", "labeled", "unlabeled").run
