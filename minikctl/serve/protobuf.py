"""Just enough of Kubernetes' protobuf encoding to read the reviews kubectl sends that way.

kubectl's typed clients (auth can-i, auth whoami) send protobuf and accept JSON back. The envelope is
the 4-byte magic `k8s\\0` and a runtime.Unknown message whose field 2 holds the object
(kubernetes/apimachinery pkg/runtime/serializer/protobuf/protobuf.go, pkg/runtime/generated.proto);
field numbers of the reviews come from kubernetes/api authorization/v1/generated.proto.
"""

from __future__ import annotations

MAGIC = b"k8s\x00"
RESOURCE_ATTRIBUTES = {1: "namespace", 2: "verb", 3: "group", 4: "version", 5: "resource", 6: "subresource",
                       7: "name"}
NON_RESOURCE_ATTRIBUTES = {1: "path", 2: "verb"}


def fields(data: bytes) -> dict[int, list]:
    """Field number -> values (ints for varints, bytes for length-delimited), in order."""
    found: dict[int, list] = {}
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
        elif wire == 2:
            length, position = _varint(data, position)
            value, position = data[position:position + length], position + length
        elif wire == 1:
            value, position = data[position:position + 8], position + 8
        elif wire == 5:
            value, position = data[position:position + 4], position + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        found.setdefault(number, []).append(value)
    return found


def _varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7


def unwrap(body: bytes) -> bytes:
    if not body.startswith(MAGIC):
        raise ValueError("not a Kubernetes protobuf message")
    return fields(body[len(MAGIC):]).get(2, [b""])[0]


def _strings(message: bytes, names: dict[int, str]) -> dict:
    values = fields(message)
    return {name: values[number][0].decode() for number, name in names.items() if number in values}


def access_review(body: bytes) -> dict:
    """A SelfSubjectAccessReview as its JSON form."""
    spec_bytes = fields(unwrap(body)).get(2, [b""])[0]
    spec_fields = fields(spec_bytes)
    spec = {}
    if 1 in spec_fields:
        spec["resourceAttributes"] = _strings(spec_fields[1][0], RESOURCE_ATTRIBUTES)
    if 2 in spec_fields:
        spec["nonResourceAttributes"] = _strings(spec_fields[2][0], NON_RESOURCE_ATTRIBUTES)
    return {"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
            "metadata": {"creationTimestamp": None}, "spec": spec}
