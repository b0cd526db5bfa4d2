"""Validation: each tests/data/manifests/invalid/<mode>--<case>.yaml beside the exact rendered output
(errors, then warning lines); the mode prefix is optional (strict by default)."""

import copy
import io
import pathlib

import pytest

from minikctl.api.manifests import Document, read_sources
from minikctl.api.validation import validate
from minikctl.errors import APIError, CommandError, InvalidError

DATA = pathlib.Path(__file__).parent / "data" / "manifests" / "invalid"
CASES = sorted(p.stem for p in DATA.glob("*.yaml"))


def load(stem):
    [doc] = read_sources([f"{stem}.yaml"], False, io.StringIO(), str(DATA))
    return doc


@pytest.mark.parametrize("stem", CASES)
def test_case_renders_like_kubectl(stem):
    mode = stem.split("--")[0] if "--" in stem else "strict"
    errors, warnings = validate(load(stem), mode)
    rendered = [error.render() for error in errors] + warnings
    assert "\n".join(rendered) == (DATA / f"{stem}.err").read_text()


ERROR_CLASSES = [
    ("no-api-version", CommandError), ("unknown-kind", CommandError), ("replicas-string", APIError),
    ("unknown-fields", APIError), ("no-name", InvalidError),
]


@pytest.mark.parametrize("stem,cls", ERROR_CLASSES)
def test_error_classes_let_the_caller_add_the_source(stem, cls):
    [error] = validate(load(stem))[0]
    assert isinstance(error, cls)


def test_bad_request_gets_source_from_caller():
    [error] = validate(load("replicas-string"))[0]
    assert error.with_source("creating", "f.yaml").render().startswith(
        'Error from server (BadRequest): error when creating "f.yaml": Deployment in version "v1"')


def test_validation_does_not_modify_the_document():
    doc = load("job-restart-policy")
    before = copy.deepcopy(doc.obj)
    validate(doc)
    assert doc.obj == before
