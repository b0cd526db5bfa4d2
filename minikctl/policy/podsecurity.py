"""Pod Security Standards: the baseline and restricted checks, levels and versions.

Facts from kubernetes/pod-security-admission (v0.32, the 1.32 policy): policy/check_*.go for each
check's reason and detail wording and the version each applies from, policy/registry.go for the
order (baseline IDs sorted, then restricted IDs sorted; a restricted check may replace a baseline
one), api/helpers.go for namespace labels. "latest" and newer versions mean the 1.32 policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

LABEL_PREFIX = "pod-security.kubernetes.io/"
LEVELS = ("privileged", "baseline", "restricted")
NEWEST_MINOR = 32

Result = Optional[tuple[str, str]]  # (reason, detail) of a failed check; None when allowed
CheckFunction = Callable[[dict, dict], Result]


# -- wording helpers (policy/helpers.go) ---------------------------------------------------------
def _quoted(items) -> str:
    return ", ".join(f'"{item}"' for item in items)


def _plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def _containers_phrase(names: list[str]) -> str:
    return f"{_plural('container', 'containers', len(names))} {_quoted(names)}"


def _all_containers(spec: dict) -> list[dict]:
    """Init containers, containers, then ephemeral containers (policy/visitor.go)."""
    return (spec.get("initContainers") or []) + (spec.get("containers") or []) + (spec.get("ephemeralContainers") or [])


def _security(container_or_spec: dict, key: str = "securityContext") -> dict:
    return container_or_spec.get(key) or {}


def _is_windows(spec: dict) -> bool:
    return (spec.get("os") or {}).get("name") == "windows"


def _setters(pod_bad: bool, containers: list[str]) -> list[str]:
    """`pod`, `container "a"`: who set a forbidden value, joined later with " and "."""
    return (["pod"] if pod_bad else []) + ([_containers_phrase(containers)] if containers else [])


# -- baseline ----------------------------------------------------------------------------------
_APPARMOR_TYPES = ("RuntimeDefault", "Localhost")
_APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"


def app_armor_profile(meta: dict, spec: dict) -> Result:
    bad_values: set[str] = set()
    pod_profile = _security(spec).get("appArmorProfile")
    pod_bad = pod_profile is not None and pod_profile.get("type") not in _APPARMOR_TYPES
    if pod_bad:
        bad_values.add(pod_profile.get("type") or "")
    containers = []
    for container in _all_containers(spec):
        profile = _security(container).get("appArmorProfile")
        if profile is not None and profile.get("type") not in _APPARMOR_TYPES:
            containers.append(container.get("name", ""))
            bad_values.add(profile.get("type") or "")
    setters = _setters(pod_bad, containers)
    annotations = sorted(f'{key}="{value}"' for key, value in (meta.get("annotations") or {}).items()
                         if key.startswith(_APPARMOR_ANNOTATION) and not _allowed_apparmor_annotation(value))
    values = sorted(bad_values) + annotations
    if annotations:
        setters.append(_plural("annotation", "annotations", len(annotations)))
    if not setters:
        return None
    return (_plural("forbidden AppArmor profile", "forbidden AppArmor profiles", len(values)),
            f"{' and '.join(setters)} must not set AppArmor profile type to {_quoted(values)}")


def _allowed_apparmor_annotation(value: str) -> bool:
    return value in ("", "runtime/default") or value.startswith("localhost/")


_DEFAULT_CAPABILITIES = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                         "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}


def capabilities_baseline(meta: dict, spec: dict) -> Result:
    containers, added = [], set()
    for container in _all_containers(spec):
        extra = [c for c in (_security(container).get("capabilities") or {}).get("add") or () if c not in _DEFAULT_CAPABILITIES]
        if extra:
            containers.append(container.get("name", ""))
            added.update(extra)
    if not containers:
        return None
    return ("non-default capabilities",
            f"{_containers_phrase(containers)} must not include {_quoted(sorted(added))} in securityContext.capabilities.add")


def host_namespaces(meta: dict, spec: dict) -> Result:
    shared = [f"{field}=true" for field in ("hostNetwork", "hostPID", "hostIPC") if spec.get(field)]
    return ("host namespaces", ", ".join(shared)) if shared else None


def host_path_volumes(meta: dict, spec: dict) -> Result:
    names = [v.get("name", "") for v in spec.get("volumes") or () if v.get("hostPath") is not None]
    return ("hostPath volumes", f"{_plural('volume', 'volumes', len(names))} {_quoted(names)}") if names else None


def host_ports(meta: dict, spec: dict) -> Result:
    containers, ports = [], set()
    for container in _all_containers(spec):
        used = [str(p["hostPort"]) for p in container.get("ports") or () if p.get("hostPort")]
        if used:
            containers.append(container.get("name", ""))
            ports.update(used)
    if not containers:
        return None
    return ("hostPort", f"{_containers_phrase(containers)} {_plural('uses', 'use', len(containers))} "
                        f"{_plural('hostPort', 'hostPorts', len(ports))} {', '.join(sorted(ports))}")


def privileged(meta: dict, spec: dict) -> Result:
    names = [c.get("name", "") for c in _all_containers(spec) if _security(c).get("privileged") is True]
    return ("privileged", f"{_containers_phrase(names)} must not set securityContext.privileged=true") if names else None


def proc_mount(meta: dict, spec: dict) -> Result:
    containers, types = [], set()
    for container in _all_containers(spec):
        mount = _security(container).get("procMount")
        if mount is not None and mount != "Default":
            containers.append(container.get("name", ""))
            types.add(mount)
    if not containers:
        return None
    return ("procMount", f"{_containers_phrase(containers)} must not set securityContext.procMount to {_quoted(sorted(types))}")


def _selinux_check(allowed_types: set[str]) -> CheckFunction:
    def check(meta: dict, spec: dict) -> Result:
        bad_types: set[str] = set()
        found = {"user": False, "role": False}

        def is_bad(options: dict) -> bool:
            bad = False
            if (options.get("type") or "") not in allowed_types:
                bad_types.add(options.get("type") or "")
                bad = True
            for field in ("user", "role"):
                if options.get(field):
                    found[field] = bad = True
            return bad

        pod_options = _security(spec).get("seLinuxOptions")
        pod_bad = pod_options is not None and is_bad(pod_options)
        containers = [c.get("name", "") for c in _all_containers(spec)
                      if _security(c).get("seLinuxOptions") is not None and is_bad(_security(c)["seLinuxOptions"])]
        setters = _setters(pod_bad, containers)
        if not setters:
            return None
        data = [f"{_plural('type', 'types', len(bad_types))} {_quoted(sorted(bad_types))}"] if bad_types else []
        data += [f"{field} may not be set" for field in ("user", "role") if found[field]]
        return ("seLinuxOptions", f"{' and '.join(setters)} set forbidden securityContext.seLinuxOptions: {'; '.join(data)}")
    return check


_SELINUX_1_0 = {"", "container_t", "container_init_t", "container_kvm_t"}
_SECCOMP_TYPES = ("RuntimeDefault", "Localhost")
_SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
_SECCOMP_CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"


def seccomp_baseline_annotations(meta: dict, spec: dict) -> Result:
    """Before 1.19 seccomp was set by annotations."""
    annotations = meta.get("annotations") or {}
    keys = [_SECCOMP_POD_ANNOTATION] + [_SECCOMP_CONTAINER_ANNOTATION + c.get("name", "") for c in _all_containers(spec)]
    bad = sorted({f'{key}="{annotations[key]}"' for key in keys
                  if key in annotations and not _allowed_seccomp_annotation(annotations[key])})
    if not bad:
        return None
    return ("seccompProfile", f"forbidden {_plural('annotation', 'annotations', len(bad))} {', '.join(bad)}")


def _allowed_seccomp_annotation(value: str) -> bool:
    return value in ("runtime/default", "docker/default") or value.startswith("localhost/")


def _explicit_seccomp(spec: dict) -> tuple[bool, bool, list[str], set[str], list[str]]:
    """(pod set a bad type, pod set a good type, containers with a bad type, bad types, containers without one)."""
    bad_types: set[str] = set()
    pod_profile = _security(spec).get("seccompProfile")
    pod_bad = pod_profile is not None and pod_profile.get("type") not in _SECCOMP_TYPES
    if pod_bad:
        bad_types.add(pod_profile.get("type") or "")
    bad_containers, unset_containers = [], []
    for container in _all_containers(spec):
        profile = _security(container).get("seccompProfile")
        if profile is None:
            unset_containers.append(container.get("name", ""))
        elif profile.get("type") not in _SECCOMP_TYPES:
            bad_containers.append(container.get("name", ""))
            bad_types.add(profile.get("type") or "")
    return pod_bad, pod_profile is not None and not pod_bad, bad_containers, bad_types, unset_containers


def seccomp_baseline(meta: dict, spec: dict) -> Result:
    pod_bad, _, bad_containers, bad_types, _ = _explicit_seccomp(spec)
    setters = _setters(pod_bad, bad_containers)
    if not setters:
        return None
    return ("seccompProfile", f"{' and '.join(setters)} must not set securityContext.seccompProfile.type to {_quoted(sorted(bad_types))}")


def _sysctls_check(allowed: set[str]) -> CheckFunction:
    def check(meta: dict, spec: dict) -> Result:
        names = [s.get("name", "") for s in _security(spec).get("sysctls") or () if s.get("name") not in allowed]
        return ("forbidden sysctls", ", ".join(names)) if names else None
    return check


_SYSCTLS_1_0 = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
                "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"}
_SYSCTLS_1_27 = _SYSCTLS_1_0 | {"net.ipv4.ip_local_reserved_ports"}
_SYSCTLS_1_29 = _SYSCTLS_1_27 | {"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
                                 "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"}
_SYSCTLS_1_32 = _SYSCTLS_1_29 | {"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"}


def windows_host_process(meta: dict, spec: dict) -> Result:
    def host_process(context: dict) -> bool:
        return (context.get("windowsOptions") or {}).get("hostProcess") is True

    containers = [c.get("name", "") for c in _all_containers(spec) if host_process(_security(c))]
    setters = _setters(host_process(_security(spec)), containers)
    if not setters:
        return None
    return ("hostProcess", f"{' and '.join(setters)} must not set securityContext.windowsOptions.hostProcess=true")


# -- restricted --------------------------------------------------------------------------------
def _skip_windows(check: CheckFunction) -> CheckFunction:
    """From 1.25, pods with spec.os.name=windows are exempt from this check."""
    def check_unless_windows(meta: dict, spec: dict) -> Result:
        return None if _is_windows(spec) else check(meta, spec)
    return check_unless_windows


def allow_privilege_escalation(meta: dict, spec: dict) -> Result:
    names = [c.get("name", "") for c in _all_containers(spec) if _security(c).get("allowPrivilegeEscalation") is not False]
    if not names:
        return None
    return ("allowPrivilegeEscalation != false",
            f"{_containers_phrase(names)} must set securityContext.allowPrivilegeEscalation=false")


def capabilities_restricted(meta: dict, spec: dict) -> Result:
    missing_drop, adding, added = [], [], set()
    for container in _all_containers(spec):
        capabilities = _security(container).get("capabilities")
        if capabilities is None:
            missing_drop.append(container.get("name", ""))
            continue
        if "ALL" not in (capabilities.get("drop") or ()):
            missing_drop.append(container.get("name", ""))
        extra = [c for c in capabilities.get("add") or () if c != "NET_BIND_SERVICE"]
        if extra:
            adding.append(container.get("name", ""))
            added.update(extra)
    details = []
    if missing_drop:
        details.append(f'{_containers_phrase(missing_drop)} must set securityContext.capabilities.drop=["ALL"]')
    if adding:
        details.append(f"{_containers_phrase(adding)} must not include {_quoted(sorted(added))} in securityContext.capabilities.add")
    return ("unrestricted capabilities", "; ".join(details)) if details else None


_ALLOWED_VOLUME_SOURCES = ("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                           "projected", "secret")
_RESTRICTED_VOLUME_SOURCES = ("hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi",
                              "glusterfs", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile",
                              "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume",
                              "scaleIO", "storageos")


def restricted_volumes(meta: dict, spec: dict) -> Result:
    names, types = [], set()
    for volume in spec.get("volumes") or ():
        if any(volume.get(source) is not None for source in _ALLOWED_VOLUME_SOURCES):
            continue
        names.append(volume.get("name", ""))
        types.add(next((s for s in _RESTRICTED_VOLUME_SOURCES if volume.get(s) is not None), "unknown"))
    if not names:
        return None
    return ("restricted volume types",
            f"{_plural('volume', 'volumes', len(names))} {_quoted(names)} {_plural('uses', 'use', len(names))} "
            f"{_plural('restricted volume type', 'restricted volume types', len(types))} {_quoted(sorted(types))}")


def run_as_non_root(meta: dict, spec: dict) -> Result:
    pod_value = _security(spec).get("runAsNonRoot")
    explicit_false, unset = [], []
    for container in _all_containers(spec):
        value = _security(container).get("runAsNonRoot")
        if value is False:
            explicit_false.append(container.get("name", ""))
        elif value is None and pod_value is not True:
            unset.append(container.get("name", ""))
    setters = _setters(pod_value is False, explicit_false)
    if setters:
        return ("runAsNonRoot != true", f"{' and '.join(setters)} must not set securityContext.runAsNonRoot=false")
    if unset:
        return ("runAsNonRoot != true", f"pod or {_containers_phrase(unset)} must set securityContext.runAsNonRoot=true")
    return None


def run_as_user(meta: dict, spec: dict) -> Result:
    containers = [c.get("name", "") for c in _all_containers(spec) if _security(c).get("runAsUser") == 0]
    setters = _setters(_security(spec).get("runAsUser") == 0, containers)
    return ("runAsUser=0", f"{' and '.join(setters)} must not set runAsUser=0") if setters else None


def seccomp_restricted(meta: dict, spec: dict) -> Result:
    pod_bad, pod_good, bad_containers, bad_types, unset = _explicit_seccomp(spec)
    setters = _setters(pod_bad, bad_containers)
    if setters:
        return ("seccompProfile", f"{' and '.join(setters)} must not set securityContext.seccompProfile.type to {_quoted(sorted(bad_types))}")
    if unset and not pod_good:
        return ("seccompProfile", f'pod or {_containers_phrase(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"')
    return None


# -- the registry ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    id: str
    level: str
    versions: tuple[tuple[int, CheckFunction], ...]  # (first 1.x minor, function), increasing
    replaces: str = ""  # a baseline check this restricted check stands in for, where it applies

    def at(self, minor: int) -> CheckFunction | None:
        chosen = None
        for first, function in self.versions:
            if first <= minor:
                chosen = function
        return chosen


CHECKS: tuple[Check, ...] = (
    Check("appArmorProfile", "baseline", ((0, app_armor_profile),)),
    Check("capabilities_baseline", "baseline", ((0, capabilities_baseline),)),
    Check("hostNamespaces", "baseline", ((0, host_namespaces),)),
    Check("hostPathVolumes", "baseline", ((0, host_path_volumes),)),
    Check("hostPorts", "baseline", ((0, host_ports),)),
    Check("privileged", "baseline", ((0, privileged),)),
    Check("procMount", "baseline", ((0, proc_mount),)),
    Check("seLinuxOptions", "baseline", ((0, _selinux_check(_SELINUX_1_0)),
                                         (31, _selinux_check(_SELINUX_1_0 | {"container_engine_t"})))),
    Check("seccompProfile_baseline", "baseline", ((0, seccomp_baseline_annotations), (19, seccomp_baseline))),
    Check("sysctls", "baseline", ((0, _sysctls_check(_SYSCTLS_1_0)), (27, _sysctls_check(_SYSCTLS_1_27)),
                                  (29, _sysctls_check(_SYSCTLS_1_29)), (32, _sysctls_check(_SYSCTLS_1_32)))),
    Check("windowsHostProcess", "baseline", ((0, windows_host_process),)),
    Check("allowPrivilegeEscalation", "restricted", ((8, allow_privilege_escalation),
                                                     (25, _skip_windows(allow_privilege_escalation)))),
    Check("capabilities_restricted", "restricted", ((22, capabilities_restricted), (25, _skip_windows(capabilities_restricted))),
          replaces="capabilities_baseline"),
    Check("restrictedVolumes", "restricted", ((0, restricted_volumes),), replaces="hostPathVolumes"),
    Check("runAsNonRoot", "restricted", ((0, run_as_non_root),)),
    Check("runAsUser", "restricted", ((23, run_as_user),)),
    Check("seccompProfile_restricted", "restricted", ((19, seccomp_restricted), (25, _skip_windows(seccomp_restricted))),
          replaces="seccompProfile_baseline"),
)


def checks_for(level: str, minor: int) -> list[CheckFunction]:
    """The check functions of a level at a policy version, in registry order (IDs sorted bytewise)."""
    if level == "privileged":
        return []
    levels = ("baseline",) if level == "baseline" else ("baseline", "restricted")
    replaced = {c.replaces for c in CHECKS if level == "restricted" and c.replaces and c.at(minor)}
    ordered = sorted((c for c in CHECKS if c.level == "baseline"), key=lambda c: c.id) + \
        sorted((c for c in CHECKS if c.level == "restricted"), key=lambda c: c.id)
    return [c.at(minor) for c in ordered if c.level in levels and c.id not in replaced and c.at(minor)]


@dataclass(frozen=True)
class LevelVersion:
    level: str
    version: str  # "latest" or "v1.<minor>"

    def __str__(self) -> str:
        return f"{self.level}:{self.version}"

    @property
    def minor(self) -> int:
        return NEWEST_MINOR if self.version == "latest" else min(int(self.version[3:]), NEWEST_MINOR)


def evaluate(level_version: LevelVersion, meta: dict, spec: dict) -> list[tuple[str, str]]:
    """Failed checks as (reason, detail), in order."""
    return [result for check in checks_for(level_version.level, level_version.minor)
            if (result := check(meta or {}, spec or {})) is not None]


def details(failures: list[tuple[str, str]]) -> str:
    """`reason (detail), reason` (AggregateCheckResult.ForbiddenDetail)."""
    return ", ".join(f"{reason} ({detail})" if detail else reason for reason, detail in failures)


def reasons(failures: list[tuple[str, str]]) -> str:
    return ", ".join(reason for reason, _ in failures)


# -- namespace labels (api/helpers.go PolicyToEvaluate) ---------------------------------------------
@dataclass(frozen=True)
class Policy:
    enforce: LevelVersion
    audit: LevelVersion
    warn: LevelVersion


def policy_from_labels(labels: dict) -> tuple[Policy, list[str]]:
    """The namespace's policy and Invalid causes for malformed labels (which count as restricted:latest)."""
    causes: list[str] = []
    modes = {}
    for mode in ("enforce", "audit", "warn"):
        level = _label_level(labels, mode, causes)
        version = _label_version(labels, mode, causes)
        modes[mode] = LevelVersion(level, version)
    enforce_given = LABEL_PREFIX + "enforce" in labels and labels[LABEL_PREFIX + "enforce"] in LEVELS
    if LABEL_PREFIX + "warn" not in labels and enforce_given and \
            LEVELS.index(modes["enforce"].level) > LEVELS.index(modes["warn"].level):
        version = modes["warn"].version if LABEL_PREFIX + "warn-version" in labels else modes["enforce"].version
        modes["warn"] = LevelVersion(modes["enforce"].level, version)
    return Policy(**modes), causes


def _label_level(labels: dict, mode: str, causes: list[str]) -> str:
    key = LABEL_PREFIX + mode
    if key not in labels:
        return "privileged"
    value = labels[key]
    if value in LEVELS:
        return value
    causes.append(f'metadata.labels[{key}]: Invalid value: "{value}": must be one of {", ".join(LEVELS)}')
    return "restricted" if mode == "enforce" else "privileged"


def _label_version(labels: dict, mode: str, causes: list[str]) -> str:
    key = f"{LABEL_PREFIX}{mode}-version"
    value = labels.get(key, "latest")
    if value == "latest" or _is_minor_version(value):
        return value
    causes.append(f'metadata.labels[{key}]: Invalid value: "{value}": must be "latest" or "v1.x"')
    return "latest"


def _is_minor_version(value: str) -> bool:
    """`v1.0`, `v1.25`: no leading zeros (api/helpers.go versionRegexp)."""
    digits = value[3:]
    return value.startswith("v1.") and digits.isdigit() and digits.isascii() and (digits == "0" or digits[0] != "0")
