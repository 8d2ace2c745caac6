#!/usr/bin/python3
"""A strict Kubernetes API server for Stagecraft's tests, backed by Podman.

No cluster can run on the build machines, so this server speaks the part of the core/v1 API the
Kubernetes executor uses, with the real API's JSON shapes, status codes and `Status` bodies, and
runs the pods for real with `podman kube play`:

- HTTPS with a CA made by openssl at start; client certificates (CN = user, O = groups) and bearer
  tokens; an RBAC table (identity -> verbs on resources) answering 403 with the apiserver's text.
- /version; pods (create, get, list with label/field selectors, watch, delete), pods/log (both
  streams, follow, timestamps, sinceTime, partial lines as the kubelet sends them, the 400
  "waiting to start"), pods/exec over WebSocket
  (v5.channel.k8s.io, v4.channel.k8s.io; runs `podman exec -i` in the real container), secrets and
  configmaps (create, get, list, delete, merge-patch; garbage-collected with their owner pod).
- Every object is checked field by field against the official models of Debian's
  python3-kubernetes: unknown and mistyped fields are refused as with `fieldValidation=Strict`
  (400), missing or invalid values with 422 Invalid and their causes.
- Pod status comes from `podman inspect`: containerStatuses waiting/running/terminated with exit
  codes; images that are not present locally give ErrImagePull then ImagePullBackOff (no registry
  is reachable); a nodeSelector the one node does not satisfy leaves the pod Pending with
  PodScheduled=False/Unschedulable.
- Test hooks (POST /_test/config, admin only): drop a log stream or an exec stream after N lines,
  narrow the exec sub-protocols.

Usage: apiserver.py --state DIR [--port 0] [--rbac FILE]
Prints one JSON line on stdout when ready: {"port": N, "ca": ..., "users": {...}, ...}.
Python 3 standard library + python3-kubernetes (models only). Run with /usr/bin/python3.
"""

import argparse
import base64
import copy
import datetime
import hashlib
import ipaddress
import json
import os
import random
import re
import select
import signal
import socket
import ssl
import string
import subprocess
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import kubernetes.client.models as models

NODE_NAME = "stagecraft-test-node"
NODE_LABELS = {
    "kubernetes.io/hostname": NODE_NAME,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "node-role.kubernetes.io/control-plane": "",
}
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PAUSE_IMAGE = "localhost/sc-pause:local"

DEFAULT_RBAC = {
    # identity -> list of rules {verbs, resources}; "*" matches everything.
    "users": {
        "admin": [{"verbs": ["*"], "resources": ["*"]}],
        "system:masters": [{"verbs": ["*"], "resources": ["*"]}],
        "viewer": [{"verbs": ["get", "list", "watch"], "resources": ["pods", "pods/log"]}],
        # Everything the executor needs except `watch`: clients must fall back to polling.
        "nowatch": [{"verbs": ["create", "get", "list", "delete", "patch"], "resources": ["*"]}],
    },
    "tokens": {"admin-token": "admin", "viewer-token": "viewer", "nowatch-token": "nowatch"},
    "namespaces": ["default", "kube-system", "ci"],
}

LOCK = threading.RLock()
CHANGED = threading.Condition(LOCK)
STATE = {
    "rv": 1000,
    "pods": {},        # (ns, name) -> record
    "objects": {},     # (plural, ns, name) -> object
    "events": [],      # (rv, type, ns, name, object)
    "config": {"dropLogAfterLines": 0, "dropLogTimes": 0,
               "dropExecAfterLines": 0, "dropExecTimes": 0, "dropExecMatch": "tail",
               "execProtocols": ["v5.channel.k8s.io", "v4.channel.k8s.io"]},
}
PODMAN_ENV = dict(os.environ)
LOG_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) ")
RBAC = DEFAULT_RBAC


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_rv():
    STATE["rv"] += 1
    return str(STATE["rv"])


# Podman 4.3 deadlocks when `kube play` and `pod rm` (or `volume rm`) of one pod run at the same
# time (both wait on each other's locks, for ever): the commands that change pods and volumes
# run one at a time. Reads (inspect, logs, exec) do not wait.
PODMAN_MUTATE = threading.Lock()
MUTATING = {("kube", "play"), ("pod", "rm"), ("volume", "rm"), ("volume", "create")}


def podman(*args, input=None, check=False, timeout=120):
    def run():
        try:
            return subprocess.run(["podman", *args], input=input, capture_output=True,
                                  env=PODMAN_ENV, timeout=timeout, check=check)
        except subprocess.TimeoutExpired as e:
            return subprocess.CompletedProcess(e.cmd, 124, b"", b"podman timed out")
    if tuple(args[:2]) in MUTATING:
        with PODMAN_MUTATE:
            return run()
    return run()


# ----------------------------------------------------------------------------------------------
# API errors

class ApiError(Exception):
    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def status(self):
        body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": self.message, "reason": self.reason, "code": self.code}
        if self.details is not None:
            body["details"] = self.details
        return body


def not_found(plural, name):
    return ApiError(404, "NotFound", f'{plural} "{name}" not found',
                    {"name": name, "kind": plural})


def invalid(kind, name, causes):
    text = "; ".join(f'{c["field"]}: {c["message"]}' for c in causes)
    if len(causes) > 1:
        text = "[" + ", ".join(f'{c["field"]}: {c["message"]}' for c in causes) + "]"
    return ApiError(422, "Invalid", f'{kind} "{name}" is invalid: {text}',
                    {"name": name, "kind": kind, "causes": causes})


# ----------------------------------------------------------------------------------------------
# Strict validation against the official models

PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": (int, float)}
GO_TYPES = {"str": "string", "int": "int32", "bool": "bool", "float": "float64"}


def go_kind(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def strict_check(value, type_name, path, kind, go_struct="", errors=None):
    """Returns a 400 message for the first unknown or mistyped field, as the apiserver does."""
    if value is None:
        return None
    if type_name.startswith("list["):
        if not isinstance(value, list):
            return type_error(kind, value, go_struct, path, "[]" + type_name[5:-1])
        for i, item in enumerate(value):
            err = strict_check(item, type_name[5:-1], f"{path}[{i}]", kind, go_struct)
            if err:
                return err
        return None
    if type_name.startswith("dict("):
        inner = type_name[type_name.index(",") + 1:-1].strip()
        if not isinstance(value, dict):
            return type_error(kind, value, go_struct, path, "map[string]" + inner)
        for k, v in value.items():
            err = strict_check(v, inner, f"{path}[{k}]", kind, go_struct)
            if err:
                return err
        return None
    if type_name in ("object",):
        return None
    if type_name in ("datetime", "date"):
        return None if isinstance(value, str) else type_error(kind, value, go_struct, path, "Time")
    if type_name in PRIMITIVES:
        ok = isinstance(value, PRIMITIVES[type_name]) and not (
            type_name in ("int", "float") and isinstance(value, bool))
        if type_name == "int" and isinstance(value, float) and value.is_integer():
            ok = True
        return None if ok else type_error(kind, value, go_struct, path, GO_TYPES[type_name])
    cls = getattr(models, type_name, None)
    if cls is None:
        return None
    if not isinstance(value, dict):
        return type_error(kind, value, go_struct, path, type_name[2:])
    by_json = {v: k for k, v in cls.attribute_map.items()}
    for key, item in value.items():
        if key not in by_json:
            return f'strict decoding error: unknown field "{(path + "." if path else "") + key}"'
        err = strict_check(item, cls.openapi_types[by_json[key]],
                           (path + "." if path else "") + key, kind, type_name[2:])
        if err:
            return err
    return None


def type_error(kind, value, struct, path, go_type):
    field = re.sub(r"\[[^\]]*\]", "", path)
    return (f'{kind} in version "v1" cannot be handled as a {kind}: json: cannot unmarshal '
            f'{go_kind(value)} into Go struct field {struct}.{field} of type {go_type}')


DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
LABEL_NAME = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                        r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
DATA_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def required(field):
    return {"reason": "FieldValueRequired", "message": "Required value", "field": field}


def bad_value(field, value, detail):
    return {"reason": "FieldValueInvalid",
            "message": f"Invalid value: {json.dumps(value)}: {detail}", "field": field}


def validate_meta(meta, causes, generate_ok=True):
    name = meta.get("name", "")
    if not name and not (generate_ok and meta.get("generateName")):
        causes.append({"reason": "FieldValueRequired",
                       "message": "name or generateName is required", "field": "metadata.name"})
    if name and (not DNS_SUBDOMAIN.match(name) or len(name) > 253):
        causes.append(bad_value("metadata.name", name,
                                "a lowercase RFC 1123 subdomain must consist of lower case "
                                "alphanumeric characters, '-' or '.', and must start and end "
                                "with an alphanumeric character"))
    for key, value in (meta.get("labels") or {}).items():
        if not LABEL_NAME.match(key) or len(key.split("/")[-1]) > 63:
            causes.append(bad_value("metadata.labels", key, "name part must consist of "
                                    "alphanumeric characters, '-', '_' or '.'"))
        if not isinstance(value, str) or len(value) > 63 or not LABEL_VALUE.match(value):
            causes.append(bad_value("metadata.labels", value,
                                    "a valid label must be an empty string or consist of "
                                    "alphanumeric characters, '-', '_' or '.', and must start "
                                    "and end with an alphanumeric character"))


def validate_pod(pod):
    causes = []
    meta = pod.get("metadata") or {}
    validate_meta(meta, causes)
    spec = pod.get("spec")
    if spec is None:
        causes.append(required("spec"))
        return causes
    volumes = {}
    for i, v in enumerate(spec.get("volumes") or []):
        f = f"spec.volumes[{i}]"
        if not v.get("name"):
            causes.append(required(f + ".name"))
        elif not DNS_LABEL.match(v["name"]):
            causes.append(bad_value(f + ".name", v["name"], "a lowercase RFC 1123 label"))
        elif v["name"] in volumes:
            causes.append({"reason": "FieldValueDuplicate",
                           "message": f'Duplicate value: "{v["name"]}"', "field": f + ".name"})
        sources = [k for k in v if k != "name"]
        if len(sources) == 0:
            causes.append({"reason": "FieldValueRequired",
                           "message": "must specify a volume type", "field": f})
        elif len(sources) > 1:
            causes.append({"reason": "FieldValueForbidden",
                           "message": "may not specify more than 1 volume type", "field": f})
        if "hostPath" in v and not (v["hostPath"] or {}).get("path"):
            causes.append(required(f + ".hostPath.path"))
        if "persistentVolumeClaim" in v and not (v["persistentVolumeClaim"] or {}).get("claimName"):
            causes.append(required(f + ".persistentVolumeClaim.claimName"))
        volumes[v.get("name")] = v
    containers = spec.get("containers") or []
    if not containers:
        causes.append(required("spec.containers"))
    names = set()
    for group in ("initContainers", "containers"):
        for i, c in enumerate(spec.get(group) or []):
            f = f"spec.{group}[{i}]"
            name = c.get("name", "")
            if not name:
                causes.append(required(f + ".name"))
            elif not DNS_LABEL.match(name) or len(name) > 63:
                causes.append(bad_value(f + ".name", name, "a lowercase RFC 1123 label must "
                                        "consist of lower case alphanumeric characters or '-'"))
            elif name in names:
                causes.append({"reason": "FieldValueDuplicate",
                               "message": f'Duplicate value: "{name}"', "field": f + ".name"})
            names.add(name)
            if not c.get("image"):
                causes.append(required(f + ".image"))
            policy = c.get("imagePullPolicy")
            if policy is not None and policy not in ("Always", "IfNotPresent", "Never"):
                causes.append({"reason": "FieldValueNotSupported", "field": f + ".imagePullPolicy",
                               "message": f'Unsupported value: "{policy}": supported values: '
                                          '"Always", "IfNotPresent", "Never"'})
            for j, e in enumerate(c.get("env") or []):
                if not e.get("name"):
                    causes.append(required(f"{f}.env[{j}].name"))
                elif not ENV_NAME.match(e["name"]):
                    causes.append(bad_value(f"{f}.env[{j}].name", e["name"],
                                            "a valid environment variable name must consist of "
                                            "alphabetic characters, digits, '_', '-', or '.', "
                                            "and must not start with a digit"))
            for j, m in enumerate(c.get("volumeMounts") or []):
                if m.get("name") not in volumes:
                    causes.append({"reason": "FieldValueNotFound",
                                   "message": f'Not found: "{m.get("name")}"',
                                   "field": f"{f}.volumeMounts[{j}].name"})
                if not m.get("mountPath"):
                    causes.append(required(f"{f}.volumeMounts[{j}].mountPath"))
            for res in ("limits", "requests"):
                for k, q in ((c.get("resources") or {}).get(res) or {}).items():
                    if not re.match(r"^[0-9.]+(m|k|Ki|M|Mi|G|Gi|T|Ti|E|Ei|P|Pi)?$", str(q)):
                        causes.append(bad_value(f"{f}.resources.{res}[{k}]", q,
                                                "must match the regex "
                                                "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"))
    policy = spec.get("restartPolicy")
    if policy is not None and policy not in ("Always", "OnFailure", "Never"):
        causes.append({"reason": "FieldValueNotSupported", "field": "spec.restartPolicy",
                       "message": f'Unsupported value: "{policy}": supported values: "Always", '
                                  '"OnFailure", "Never"'})
    for i, h in enumerate(spec.get("hostAliases") or []):
        try:
            ipaddress.ip_address(h.get("ip", ""))
        except ValueError:
            causes.append(bad_value(f"spec.hostAliases[{i}].ip", h.get("ip", ""),
                                    "must be a valid IP address"))
        for j, host in enumerate(h.get("hostnames") or []):
            if not DNS_SUBDOMAIN.match(host):
                causes.append(bad_value(f"spec.hostAliases[{i}].hostnames[{j}]", host,
                                        "a lowercase RFC 1123 subdomain"))
    return causes


def validate_data_object(kind, obj):
    causes = []
    validate_meta(obj.get("metadata") or {}, causes)
    for field in ("data", "stringData", "binaryData"):
        for key, value in (obj.get(field) or {}).items():
            if not DATA_KEY.match(key):
                causes.append(bad_value(f"{field}[{key}]", key, "a valid config key must consist "
                                        "of alphanumeric characters, '-', '_' or '.'"))
            if kind == "Secret" and field == "data":
                try:
                    base64.b64decode(value, validate=True)
                except Exception:
                    causes.append(bad_value(f"data[{key}]", value, "illegal base64 data"))
    return causes


# ----------------------------------------------------------------------------------------------
# Identities and RBAC

def allowed(identity, verb, resource):
    user, groups = identity
    for who in [user, *groups]:
        for rule in RBAC["users"].get(who, []):
            if ("*" in rule["verbs"] or verb in rule["verbs"]) and (
                    "*" in rule["resources"] or resource in rule["resources"]):
                return True
    return False


def forbid(identity, verb, resource, ns, name=None):
    base = resource.split("/")[0]
    who = f'{base} "{name}"' if name else base
    message = (f'{who} is forbidden: User "{identity[0]}" cannot {verb} resource "{resource}" '
               f'in API group "" in the namespace "{ns}"')
    details = {"kind": base}
    if name:
        details["name"] = name
    return ApiError(403, "Forbidden", message, details)


# ----------------------------------------------------------------------------------------------
# Events (watch)

def record_event(kind_type, ns, name, plural, obj):
    STATE["events"].append((int(obj["metadata"]["resourceVersion"]), kind_type, plural, ns, name,
                            copy.deepcopy(obj)))
    del STATE["events"][:-2000]
    CHANGED.notify_all()


# ----------------------------------------------------------------------------------------------
# Pods

def podman_name(ns, name):
    return f"k8s-{ns}-{name}"


def random_suffix():
    return "".join(random.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))


def default_pod(pod, ns):
    meta = pod.setdefault("metadata", {})
    meta["namespace"] = ns
    meta["uid"] = str(uuid.uuid4())
    meta["creationTimestamp"] = now()
    spec = pod["spec"]
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("serviceAccountName", "default")
    spec.setdefault("securityContext", {})
    for c in spec["containers"]:
        image = c["image"]
        tag = image.rsplit("/", 1)[-1]
        latest = ":" not in tag or tag.endswith(":latest")
        c.setdefault("imagePullPolicy", "Always" if latest else "IfNotPresent")
        c.setdefault("terminationMessagePath", "/dev/termination-log")
        c.setdefault("terminationMessagePolicy", "File")
        c.setdefault("resources", {})
    pod["status"] = {"phase": "Pending", "qosClass": "BestEffort", "conditions": []}
    pod["apiVersion"], pod["kind"] = "v1", "Pod"


def waiting_statuses(pod, reason, message=None):
    out = []
    for c in pod["spec"]["containers"]:
        state = {"reason": reason}
        if message:
            state["message"] = message
        out.append({"name": c["name"], "image": c["image"], "imageID": "", "ready": False,
                    "restartCount": 0, "started": False, "state": {"waiting": state}})
    return out


def set_status(rec, status):
    pod = rec["pod"]
    if pod["status"] == status:
        return
    pod["status"] = status
    pod["metadata"]["resourceVersion"] = next_rv()
    record_event("MODIFIED", pod["metadata"]["namespace"], pod["metadata"]["name"], "pods", pod)


def conditions(scheduled, ready=False, initialized=True, reason=None, message=None):
    t = now()
    conds = []
    if scheduled:
        conds += [{"type": "Initialized", "status": "True" if initialized else "False",
                   "lastProbeTime": None, "lastTransitionTime": t},
                  {"type": "Ready", "status": "True" if ready else "False",
                   "lastProbeTime": None, "lastTransitionTime": t},
                  {"type": "ContainersReady", "status": "True" if ready else "False",
                   "lastProbeTime": None, "lastTransitionTime": t}]
    sched = {"type": "PodScheduled", "status": "True" if scheduled else "False",
             "lastProbeTime": None, "lastTransitionTime": t}
    if reason:
        sched["reason"] = reason
        sched["message"] = message
    conds.append(sched)
    return conds


def env_value(ns, ref_kind, ref):
    plural = "secrets" if ref_kind == "secretKeyRef" else "configmaps"
    obj = STATE["objects"].get((plural, ns, ref.get("name")))
    if obj is None:
        return None
    if plural == "secrets":
        raw = (obj.get("data") or {}).get(ref.get("key"))
        return None if raw is None else base64.b64decode(raw).decode("utf-8", "replace")
    return (obj.get("data") or {}).get(ref.get("key"))


def translate(pod, pname):
    """The pod as `podman kube play` runs it: references resolved, the emulations applied."""
    ns = pod["metadata"]["namespace"]
    spec = pod["spec"]
    volumes = []
    # kube play makes a named volume of each emptyDir, named as in the pod: pods running at the
    # same time would share (or fail on) "repo", "scripts"... so the names get the pod's.
    renamed = {v["name"]: f"{pname}-{v['name']}" if "emptyDir" in v else v["name"]
               for v in spec.get("volumes") or []}
    for v in spec.get("volumes") or []:
        if "emptyDir" in v:
            volumes.append({"name": renamed[v["name"]], "emptyDir": {}})
        elif "hostPath" in v:
            volumes.append({"name": v["name"], "hostPath": {"path": v["hostPath"]["path"],
                                                             "type": "Directory"}})
        elif "persistentVolumeClaim" in v:
            claim = v["persistentVolumeClaim"]["claimName"]
            volumes.append({"name": v["name"], "persistentVolumeClaim": {"claimName": claim}})
    containers = []
    for c in spec["containers"]:
        env = []
        for src in c.get("envFrom") or []:
            kind = "secretKeyRef" if "secretRef" in src else "configMapKeyRef"
            ref = src.get("secretRef") or src.get("configMapRef") or {}
            plural = "secrets" if kind == "secretKeyRef" else "configmaps"
            obj = STATE["objects"].get((plural, ns, ref.get("name"))) or {}
            for key in sorted((obj.get("data") or {}).keys()):
                value = env_value(ns, kind, {"name": ref.get("name"), "key": key})
                env.append({"name": src.get("prefix", "") + key, "value": value})
        for e in c.get("env") or []:
            value = e.get("value", "")
            vf = e.get("valueFrom") or {}
            for kind in ("secretKeyRef", "configMapKeyRef"):
                if kind in vf:
                    value = env_value(ns, kind, vf[kind]) or ""
            env = [x for x in env if x["name"] != e["name"]]
            env.append({"name": e["name"], "value": value})
        if not any(e["name"] == "PATH" for e in env):
            # Container runtimes give a PATH when the image has none; kube play does not.
            env.append({"name": "PATH", "value": DEFAULT_PATH})
        out = {"name": c["name"], "image": c["image"], "imagePullPolicy": "Never", "env": env}
        command, args = c.get("command"), c.get("args")
        if c.get("stdin") and command:
            # kube play ignores `stdin: true`; an open, silent stdin keeps the shell waiting as
            # on a kubelet.
            command = ["sh", "-c", 'while :; do sleep 3600; done | "$@"', "sh", *command,
                       *(args or [])]
            args = None
        if command:
            out["command"] = command
        if args:
            out["args"] = args
        if c.get("workingDir"):
            out["workingDir"] = c["workingDir"]
        if c.get("volumeMounts"):
            out["volumeMounts"] = [{**{k: m[k] for k in ("mountPath", "readOnly", "subPath")
                                       if k in m}, "name": renamed[m["name"]]}
                                   for m in c["volumeMounts"]]
        sc = c.get("securityContext") or {}
        osc = {}
        for key in ("privileged", "runAsUser", "runAsGroup", "capabilities"):
            if key in sc:
                osc[key] = sc[key]
        if osc:
            out["securityContext"] = osc
        containers.append(out)
    manifest = {"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": pname, "labels": {"stagecraft-test/apiserver": "1"}},
                "spec": {"restartPolicy": "Never", "containers": containers, "volumes": volumes}}
    if spec.get("hostAliases"):
        manifest["spec"]["hostAliases"] = spec["hostAliases"]
    return manifest


def start_pod(key):
    """Background: pull check (local images only), kube play, then status polling."""
    with LOCK:
        rec = STATE["pods"].get(key)
        if rec is None:
            return
        pod = copy.deepcopy(rec["pod"])
    missing = None
    for c in pod["spec"]["containers"]:
        if podman("image", "exists", c["image"]).returncode != 0:
            missing = c
            break
    if missing is not None:
        image = missing["image"]
        full = image if "/" in image.split(":")[0] and "." in image.split("/")[0] \
            else "docker.io/library/" + image
        message = (f'rpc error: code = Unknown desc = failed to pull and unpack image "{full}": '
                   f'failed to resolve reference "{full}": pull access denied, repository does '
                   f'not exist or may require authorization')
        with LOCK:
            rec = STATE["pods"].get(key)
            if rec is None:
                return
            statuses = waiting_statuses(pod, "ContainerCreating")
            for s in statuses:
                if s["name"] == missing["name"]:
                    s["state"]["waiting"] = {"reason": "ErrImagePull", "message": message}
            set_status(rec, {**rec["pod"]["status"], "containerStatuses": statuses})
        time.sleep(1.5)
        with LOCK:
            rec = STATE["pods"].get(key)
            if rec is None:
                return
            for s in statuses:
                if s["name"] == missing["name"]:
                    s["state"]["waiting"] = {"reason": "ImagePullBackOff",
                                             "message": f'Back-off pulling image "{image}"'}
            set_status(rec, {**rec["pod"]["status"], "containerStatuses": copy.deepcopy(statuses)})
        return
    with LOCK:
        manifest = translate(pod, key_to_pname(key))
    # A claim is a named volume here (provisioned on first use, as a default StorageClass would).
    for v in manifest["spec"]["volumes"]:
        claim = (v.get("persistentVolumeClaim") or {}).get("claimName")
        if claim and podman("volume", "exists", claim).returncode != 0:
            podman("volume", "create", claim)
    result = podman("kube", "play", "-", input=json.dumps(manifest).encode(), timeout=300)
    with LOCK:
        rec = STATE["pods"].get(key)
        deleting = rec is None or rec.get("deleting")
    if deleting:
        remove_podman_pod(key, pod)
        return
    with LOCK:
        rec = STATE["pods"].get(key)
        if rec is None:
            return
        rec["played"] = True
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            rec["playError"] = message[-1] if message else "podman kube play failed"
    refresh_pod(key)


def key_to_pname(key):
    return podman_name(*key)


def podman_time(value):
    if not value or value.startswith("0001-"):
        return None
    return value[:19] + "Z"


def refresh_pod(key):
    with LOCK:
        rec = STATE["pods"].get(key)
        if rec is None or not rec.get("played") or rec.get("deleting"):
            return
        pod = rec["pod"]
        names = [c["name"] for c in pod["spec"]["containers"]]
        pname = key_to_pname(key)
    result = podman("inspect", "--type", "container", *[f"{pname}-{n}" for n in names])
    try:
        infos = {i["Name"]: i for i in json.loads(result.stdout or b"[]")}
    except ValueError:
        infos = {}
    with LOCK:
        rec = STATE["pods"].get(key)
        play_error = rec is not None and rec.get("playError")
    if not play_error and (result.returncode != 0 or len(infos) != len(names)):
        # A failed or partial inspect (Podman busy, pod going away) says nothing new: keep the
        # last status rather than report containers as missing.
        return
    with LOCK:
        rec = STATE["pods"].get(key)
        if rec is None or rec.get("deleting"):
            return
        pod = rec["pod"]
        statuses = []
        all_done, any_failed, any_waiting = True, False, False
        for c in pod["spec"]["containers"]:
            info = infos.get(f"{pname}-{c['name']}")
            s = {"name": c["name"], "image": c["image"], "restartCount": 0, "ready": False,
                 "started": False, "imageID": "", "state": {}}
            if info is None:
                s["state"] = {"waiting": {"reason": "CreateContainerError",
                                          "message": rec.get("playError", "container missing")}}
                any_waiting = True
                all_done = False
            else:
                st = info["State"]
                s["containerID"] = "podman://" + info["Id"]
                s["imageID"] = info.get("Image", "")
                if st["Status"] == "running":
                    s["state"] = {"running": {"startedAt": podman_time(st["StartedAt"])}}
                    s["ready"] = s["started"] = True
                    all_done = False
                elif st["Status"] in ("exited", "stopped"):
                    code = st["ExitCode"]
                    s["state"] = {"terminated": {
                        "exitCode": code, "reason": "Completed" if code == 0 else "Error",
                        "startedAt": podman_time(st["StartedAt"]),
                        "finishedAt": podman_time(st["FinishedAt"]),
                        "containerID": s["containerID"]}}
                    any_failed = any_failed or code != 0
                else:
                    reason = "CreateContainerError" if rec.get("playError") else "ContainerCreating"
                    s["state"] = {"waiting": {"reason": reason}}
                    if rec.get("playError"):
                        s["state"]["waiting"]["message"] = rec["playError"]
                    any_waiting = True
                    all_done = False
            statuses.append(s)
        if any_waiting:
            phase = "Pending"
        elif all_done:
            phase = "Failed" if any_failed else "Succeeded"
        else:
            phase = "Running"
        ready = phase == "Running" and all(s["ready"] for s in statuses)
        status = {**pod["status"], "phase": phase, "containerStatuses": statuses,
                  "hostIP": "127.0.0.1", "podIP": "10.88.0.2"}
        conds = copy.deepcopy(pod["status"].get("conditions") or conditions(True))
        for cond in conds:
            if cond["type"] in ("Ready", "ContainersReady"):
                cond["status"] = "True" if ready else "False"
        status["conditions"] = conds
        status.setdefault("startTime", now())
        set_status(rec, status)


def poller():
    while True:
        time.sleep(0.4)
        with LOCK:
            keys = [k for k, r in STATE["pods"].items()
                    if r.get("played") and not r.get("deleting")
                    and r["pod"]["status"].get("phase") in ("Pending", "Running")]
        for key in keys:
            try:
                refresh_pod(key)
            except Exception:
                traceback.print_exc(file=sys.stderr)


def remove_podman_pod(key, pod=None):
    pname = key_to_pname(key)
    podman("pod", "rm", "-f", "-t", "0", pname)
    with LOCK:
        rec = STATE["pods"].get(key)
        pod = pod or (rec["pod"] if rec else {"spec": {}})
        names = [v["name"] for v in (pod["spec"].get("volumes") or []) if "emptyDir" in v]
    for name in names:
        podman("volume", "rm", "-f", f"{pname}-{name}")


def delete_pod_later(key):
    remove_podman_pod(key)
    with LOCK:
        rec = STATE["pods"].pop(key, None)
        if rec is None:
            return
        pod = rec["pod"]
        pod["metadata"]["resourceVersion"] = next_rv()
        record_event("DELETED", key[0], key[1], "pods", pod)
        uid = pod["metadata"]["uid"]
        # Garbage collection of owned secrets and config maps.
        for okey in list(STATE["objects"].keys()):
            obj = STATE["objects"][okey]
            owners = obj["metadata"].get("ownerReferences") or []
            if okey[1] == key[0] and any(o.get("uid") == uid for o in owners):
                del STATE["objects"][okey]


# ----------------------------------------------------------------------------------------------
# Selectors

def parse_label_selector(text):
    reqs = []
    for part in filter(None, [p.strip() for p in (text or "").split(",")]):
        m = re.match(r"^(!?)([^=!]+?)\s*(==|=|!=)?\s*([^=!]*)$", part)
        if not m:
            raise ApiError(400, "BadRequest", f'unable to parse requirement: found \'{part}\'')
        neg, key, op, value = m.groups()
        reqs.append((neg, key.strip(), op, value.strip()))
    return reqs


def matches_labels(obj, reqs):
    labels = obj["metadata"].get("labels") or {}
    for neg, key, op, value in reqs:
        if neg:
            if key in labels:
                return False
        elif op in ("=", "=="):
            if labels.get(key) != value:
                return False
        elif op == "!=":
            if labels.get(key) == value:
                return False
        elif key not in labels:
            return False
    return True


def matches_fields(obj, text):
    for part in filter(None, (text or "").split(",")):
        key, _, value = part.partition("=")
        value = value.lstrip("=")
        if key == "metadata.name" and obj["metadata"]["name"] != value:
            return False
        if key == "metadata.namespace" and obj["metadata"]["namespace"] != value:
            return False
    return True


# ----------------------------------------------------------------------------------------------
# Merge patch (RFC 7386)

def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return patch
    if not isinstance(target, dict):
        target = {}
    out = dict(target)
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


# ----------------------------------------------------------------------------------------------
# WebSocket

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class WebSocket:
    def __init__(self, sock):
        self.sock = sock
        self.wlock = threading.Lock()
        self.closed = False

    def send(self, opcode, payload):
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([n])
        elif n < 65536:
            header += bytes([126]) + n.to_bytes(2, "big")
        else:
            header += bytes([127]) + n.to_bytes(8, "big")
        with self.wlock:
            if self.closed:
                return
            try:
                self.sock.sendall(header + payload)
            except OSError:
                self.closed = True

    def recv_some(self, n):
        """Reads under the lock the writers hold: an OpenSSL connection must not read in one
        thread while it writes in another. It waits for data outside the lock."""
        while True:
            with self.wlock:
                pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending() > 0
                if pending:
                    return self.sock.recv(n)
            readable, _, _ = select.select([self.sock], [], [], 0.2)
            if not readable:
                continue
            with self.wlock:
                self.sock.setblocking(False)
                try:
                    return self.sock.recv(n)
                except (ssl.SSLWantReadError, BlockingIOError):
                    continue  # a partial TLS record: wait for the rest
                finally:
                    self.sock.setblocking(True)

    def recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.recv_some(n - len(data))
            if not chunk:
                raise EOFError()
            data += chunk
        return data

    def recv(self):
        """Returns (opcode, payload) of one whole message."""
        message, first_op = b"", None
        while True:
            b0, b1 = self.recv_exact(2)
            op, fin = b0 & 0x0F, b0 & 0x80
            n = b1 & 0x7F
            if n == 126:
                n = int.from_bytes(self.recv_exact(2), "big")
            elif n == 127:
                n = int.from_bytes(self.recv_exact(8), "big")
            mask = self.recv_exact(4) if b1 & 0x80 else None
            payload = self.recv_exact(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if op >= 0x8:
                return op, payload
            if first_op is None:
                first_op = op
            message += payload
            if fin:
                return first_op, message


# ----------------------------------------------------------------------------------------------
# HTTP handler

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "stagecraft-test-apiserver"

    def setup(self):
        self.request.settimeout(None)
        try:
            self.request.do_handshake()
        except (ssl.SSLError, OSError):
            self.request.close()
            raise
        super().setup()

    def log_message(self, fmt, *args):
        if os.environ.get("SC_APISERVER_VERBOSE"):
            sys.stderr.write("apiserver: " + (fmt % args) + "\n")

    # -- plumbing ------------------------------------------------------------------------------
    def identity(self):
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            user = RBAC["tokens"].get(auth[7:].strip())
            return (user, []) if user else None
        cert = self.request.getpeercert()
        if cert:
            user, groups = None, []
            for rdn in cert.get("subject", ()):
                for k, v in rdn:
                    if k == "commonName":
                        user = v
                    elif k == "organizationName":
                        groups.append(v)
            if user:
                return (user, groups)
        return None

    def send_json(self, code, obj, extra_headers=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_error_status(self, err):
        self.send_json(err.code, err.status())

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def parse_json_body(self, kind):
        raw = self.read_body()
        try:
            obj = json.loads(raw or b"null")
        except ValueError as e:
            raise ApiError(400, "BadRequest",
                           f"couldn't get version/kind; json parse error: {e}")
        if not isinstance(obj, dict):
            raise ApiError(400, "BadRequest", "couldn't get version/kind; json parse error: "
                                              "json: cannot unmarshal into Go value of type "
                                              "struct")
        if obj.get("kind") not in (None, kind):
            raise ApiError(400, "BadRequest", f'the API version in the data (v1) does not match '
                                              f'the expected API version (v1) / kind '
                                              f'{obj.get("kind")} != {kind}')
        return obj

    def start_chunked(self, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def end_chunks(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_PUT(self):
        self.dispatch("PUT")

    def dispatch(self, method):
        try:
            url = urlsplit(self.path)
            query = {k: v for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            identity = self.identity()
            if identity is None:
                self.read_body()
                return self.send_json(401, {"kind": "Status", "apiVersion": "v1",
                                            "metadata": {}, "status": "Failure",
                                            "message": "Unauthorized", "reason": "Unauthorized",
                                            "code": 401})
            self.route(method, url.path, query, identity)
        except ApiError as e:
            self.send_error_status(e)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass
        except Exception as e:  # an internal error is the server's bug: say so loudly
            traceback.print_exc(file=sys.stderr)
            try:
                self.send_error_status(ApiError(500, "InternalError", f"internal error: {e}"))
            except OSError:
                pass

    def route(self, method, path, query, identity):
        if path == "/version" and method == "GET":
            return self.send_json(200, {"major": "1", "minor": "30",
                                        "gitVersion": "v1.30.0-stagecraft-test",
                                        "gitCommit": "0" * 40, "gitTreeState": "clean",
                                        "buildDate": "2026-01-01T00:00:00Z",
                                        "goVersion": "go1.22", "compiler": "gc",
                                        "platform": "linux/amd64"})
        # Discovery, enough for kubectl (handy when debugging the tests by hand).
        if path == "/api" and method == "GET":
            return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"],
                                        "serverAddressByClientCIDRs": [
                                            {"clientCIDR": "0.0.0.0/0",
                                             "serverAddress": "127.0.0.1"}]})
        if path == "/apis" and method == "GET":
            return self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1",
                                        "groups": []})
        if path == "/api/v1" and method == "GET":
            def res(name, kind, verbs, namespaced=True):
                return {"name": name, "singularName": "", "namespaced": namespaced,
                        "kind": kind, "verbs": verbs}
            crud = ["create", "delete", "get", "list", "patch", "watch"]
            return self.send_json(200, {"kind": "APIResourceList", "groupVersion": "v1",
                                        "resources": [res("pods", "Pod", crud),
                                                      res("pods/log", "Pod", ["get"]),
                                                      res("pods/exec", "PodExecOptions",
                                                          ["create", "get"]),
                                                      res("secrets", "Secret", crud),
                                                      res("configmaps", "ConfigMap", crud)]})
        if path == "/_test/config" and method == "POST":
            if not allowed(identity, "*", "*"):
                raise forbid(identity, "update", "testconfig", "")
            body = json.loads(self.read_body() or b"{}")
            with LOCK:
                STATE["config"].update(body)
                config = dict(STATE["config"])
            return self.send_json(200, config)
        m = re.match(r"^/api/v1/namespaces/([^/]+)/([^/]+)(?:/([^/]+))?(?:/([^/]+))?$", path)
        if not m:
            raise ApiError(404, "NotFound", "the server could not find the requested resource",
                           {})
        ns, plural, name, sub = m.groups()
        if plural not in ("pods", "secrets", "configmaps"):
            raise ApiError(404, "NotFound", "the server could not find the requested resource",
                           {})
        if ns not in RBAC.get("namespaces", ["default"]):
            raise ApiError(404, "NotFound", f'namespaces "{ns}" not found',
                           {"name": ns, "kind": "namespaces"})
        watch = query.get("watch", [""])[0] in ("1", "true")
        if sub:
            if plural != "pods" or sub not in ("log", "exec"):
                raise ApiError(404, "NotFound", "the server could not find the requested resource",
                               {})
            verb = "get" if sub == "log" else "create"
            resource = f"pods/{sub}"
        else:
            resource = plural
            verb = {"GET": "watch" if watch else ("get" if name else "list"), "POST": "create",
                    "DELETE": "delete", "PATCH": "patch", "PUT": "update"}[method]
        upgrade = self.headers.get("Upgrade", "").lower() == "websocket"
        if not allowed(identity, verb, resource):
            self.read_body()
            raise forbid(identity, verb, resource, ns, name)
        if sub == "log":
            return self.pod_log(ns, name, query)
        if sub == "exec":
            if not upgrade:
                self.read_body()
                _, _, state = self.container_for(ns, name, query)
                if "running" not in state:
                    raise ApiError(400, "BadRequest",
                                   f"container {query.get('container', [''])[0]} is not running")
                raise ApiError(400, "BadRequest", "Upgrade request required")
            return self.pod_exec(ns, name, query)
        if method == "POST" and not name:
            return self.create(ns, plural)
        if method == "GET" and not name:
            return self.watch(ns, plural, query) if watch else self.list(ns, plural, query)
        if method == "GET":
            return self.send_json(200, self.get_object(ns, plural, name))
        if method == "DELETE":
            self.read_body()
            return self.delete(ns, plural, name)
        if method == "PATCH":
            return self.patch(ns, plural, name)
        raise ApiError(405, "MethodNotAllowed", f"the server does not allow this method on the "
                                                f"requested resource", {})

    # -- objects -------------------------------------------------------------------------------
    def get_object(self, ns, plural, name):
        with LOCK:
            if plural == "pods":
                rec = STATE["pods"].get((ns, name))
                if rec is None:
                    raise not_found(plural, name)
                return copy.deepcopy(rec["pod"])
            obj = STATE["objects"].get((plural, ns, name))
            if obj is None:
                raise not_found(plural, name)
            return copy.deepcopy(obj)

    def create(self, ns, plural):
        kind = {"pods": "Pod", "secrets": "Secret", "configmaps": "ConfigMap"}[plural]
        obj = self.parse_json_body(kind)
        err = strict_check(obj, "V1" + kind, "", kind)
        if err:
            raise ApiError(400, "BadRequest", err, {})
        meta = obj.setdefault("metadata", {})
        if meta.get("namespace") not in (None, ns):
            raise ApiError(400, "BadRequest", "the namespace of the provided object does not "
                                              "match the namespace sent on the request")
        causes = validate_pod(obj) if plural == "pods" else validate_data_object(kind, obj)
        name = meta.get("name") or (meta.get("generateName", "") + random_suffix())
        if causes:
            raise invalid(kind, name, causes)
        meta["name"] = name
        with LOCK:
            exists = (ns, name) in STATE["pods"] if plural == "pods" else \
                (plural, ns, name) in STATE["objects"]
            if exists:
                raise ApiError(409, "AlreadyExists", f'{plural} "{name}" already exists',
                               {"name": name, "kind": plural})
            if plural == "pods":
                default_pod(obj, ns)
                selector = obj["spec"].get("nodeSelector") or {}
                unmatched = {k: v for k, v in selector.items() if NODE_LABELS.get(k) != v}
                if unmatched:
                    obj["status"]["conditions"] = conditions(
                        False, reason="Unschedulable",
                        message="0/1 nodes are available: 1 node(s) didn't match Pod's node "
                                "affinity/selector. preemption: 0/1 nodes are available: 1 "
                                "Preemption is not helpful for scheduling.")
                else:
                    obj["spec"]["nodeName"] = NODE_NAME
                    obj["status"]["conditions"] = conditions(True, initialized=True)
                    obj["status"]["containerStatuses"] = waiting_statuses(obj,
                                                                          "ContainerCreating")
                obj["metadata"]["resourceVersion"] = next_rv()
                STATE["pods"][(ns, name)] = {"pod": obj}
                record_event("ADDED", ns, name, "pods", obj)
                if not unmatched:
                    threading.Thread(target=start_pod, args=((ns, name),), daemon=True).start()
            else:
                meta["namespace"] = ns
                meta["uid"] = str(uuid.uuid4())
                meta["creationTimestamp"] = now()
                obj["apiVersion"], obj["kind"] = "v1", kind
                if kind == "Secret":
                    data = obj.setdefault("data", {})
                    for k, v in (obj.pop("stringData", None) or {}).items():
                        data[k] = base64.b64encode(v.encode()).decode()
                    obj.setdefault("type", "Opaque")
                meta["resourceVersion"] = next_rv()
                STATE["objects"][(plural, ns, name)] = obj
            result = copy.deepcopy(obj)
        self.send_json(201, result)

    def list(self, ns, plural, query):
        reqs = parse_label_selector(query.get("labelSelector", [""])[0])
        fields = query.get("fieldSelector", [""])[0]
        kind = {"pods": "PodList", "secrets": "SecretList", "configmaps": "ConfigMapList"}[plural]
        with LOCK:
            objs = [r["pod"] for (n, _), r in STATE["pods"].items() if n == ns] \
                if plural == "pods" else \
                [o for (p, n, _), o in STATE["objects"].items() if p == plural and n == ns]
            items = [copy.deepcopy(o) for o in objs
                     if matches_labels(o, reqs) and matches_fields(o, fields)]
            rv = str(STATE["rv"])
        self.send_json(200, {"kind": kind, "apiVersion": "v1",
                             "metadata": {"resourceVersion": rv}, "items": items})

    def watch(self, ns, plural, query):
        reqs = parse_label_selector(query.get("labelSelector", [""])[0])
        fields = query.get("fieldSelector", [""])[0]
        timeout = float(query.get("timeoutSeconds", ["1800"])[0])
        since = query.get("resourceVersion", [""])[0]
        deadline = time.time() + timeout
        self.start_chunked("application/json")

        def line(kind, obj):
            self.chunk(json.dumps({"type": kind, "object": obj}).encode() + b"\n")

        with LOCK:
            if since and since != "0":
                last = int(since)
                oldest = STATE["events"][0][0] if STATE["events"] else 0
                if last < oldest - 1:
                    pending = [("ERROR", {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                          "status": "Failure", "reason": "Expired", "code": 410,
                                          "message": f"too old resource version: {last} "
                                                     f"({oldest})"})]
                    last = None
                else:
                    pending = []
            else:
                objs = [r["pod"] for (n, _), r in STATE["pods"].items() if n == ns] \
                    if plural == "pods" else []
                pending = [("ADDED", copy.deepcopy(o)) for o in objs
                           if matches_labels(o, reqs) and matches_fields(o, fields)]
                last = STATE["rv"]
        try:
            for kind, obj in pending:
                line(kind, obj)
            while last is not None and time.time() < deadline:
                with LOCK:
                    events = [e for e in STATE["events"] if e[0] > last and e[2] == plural
                              and e[3] == ns]
                    if not events:
                        CHANGED.wait(timeout=min(1.0, max(0.0, deadline - time.time())))
                        continue
                    last = events[-1][0]
                for _, kind, _, _, _, obj in events:
                    if matches_labels(obj, reqs) and matches_fields(obj, fields):
                        line(kind, obj)
            self.end_chunks()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass

    def delete(self, ns, plural, name):
        with LOCK:
            if plural != "pods":
                obj = STATE["objects"].pop((plural, ns, name), None)
                if obj is None:
                    raise not_found(plural, name)
                return self.send_json(200, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                            "status": "Success",
                                            "details": {"name": name, "kind": plural,
                                                        "uid": obj["metadata"]["uid"]}})
            rec = STATE["pods"].get((ns, name))
            if rec is None:
                raise not_found(plural, name)
            if not rec.get("deleting"):
                rec["deleting"] = True
                pod = rec["pod"]
                pod["metadata"]["deletionTimestamp"] = now()
                pod["metadata"]["deletionGracePeriodSeconds"] = 0
                pod["metadata"]["resourceVersion"] = next_rv()
                record_event("MODIFIED", ns, name, "pods", pod)
                threading.Thread(target=delete_pod_later, args=((ns, name),),
                                 daemon=True).start()
            result = copy.deepcopy(rec["pod"])
        self.send_json(200, result)

    def patch(self, ns, plural, name):
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip()
        raw = self.read_body()
        if ctype != "application/merge-patch+json":
            raise ApiError(415, "UnsupportedMediaType",
                           f'the body of the request was in an unknown format - accepted media '
                           f'types include: application/json-patch+json, '
                           f'application/merge-patch+json, application/apply-patch+yaml', {})
        try:
            patch = json.loads(raw)
        except ValueError as e:
            raise ApiError(400, "BadRequest", f"error decoding patch: {e}")
        kind = {"pods": "Pod", "secrets": "Secret", "configmaps": "ConfigMap"}[plural]
        with LOCK:
            if plural == "pods":
                raise ApiError(405, "MethodNotAllowed", "pod patches are not supported here", {})
            obj = STATE["objects"].get((plural, ns, name))
            if obj is None:
                raise not_found(plural, name)
            merged = merge_patch(copy.deepcopy(obj), patch)
            err = strict_check(merged, "V1" + kind, "", kind)
            if err:
                raise ApiError(400, "BadRequest", err, {})
            for i, owner in enumerate(merged["metadata"].get("ownerReferences") or []):
                for f in ("apiVersion", "kind", "name", "uid"):
                    if not owner.get(f):
                        raise invalid(kind, name, [required(f"metadata.ownerReferences[{i}].{f}")])
            merged["metadata"]["resourceVersion"] = next_rv()
            STATE["objects"][(plural, ns, name)] = merged
            result = copy.deepcopy(merged)
        self.send_json(200, result)

    # -- logs ----------------------------------------------------------------------------------
    def container_for(self, ns, name, query):
        with LOCK:
            rec = STATE["pods"].get((ns, name))
            if rec is None:
                raise not_found("pods", name)
            pod = copy.deepcopy(rec["pod"])
        names = [c["name"] for c in pod["spec"]["containers"]]
        container = query.get("container", [""])[0]
        if not container:
            if len(names) != 1:
                raise ApiError(400, "BadRequest", f"a container name must be specified for pod "
                                                  f"{name}, choose one of: [{' '.join(names)}]")
            container = names[0]
        if container not in names:
            raise ApiError(400, "BadRequest", f"container {container} is not valid for pod {name}")
        state = {}
        for s in pod["status"].get("containerStatuses") or []:
            if s["name"] == container:
                state = s["state"]
        if not state or "waiting" in state:
            reason = (state.get("waiting") or {}).get("reason", "ContainerCreating")
            if reason in ("ErrImagePull", "ImagePullBackOff"):
                reason = "trying and failing to pull image"
            raise ApiError(400, "BadRequest", f'container "{container}" in pod "{name}" is '
                                              f'waiting to start: {reason}')
        return pod, container, state

    def pod_log(self, ns, name, query):
        pod, container, state = self.container_for(ns, name, query)
        follow = query.get("follow", [""])[0] in ("1", "true")
        stamps = query.get("timestamps", [""])[0] in ("1", "true")
        since_time = query.get("sinceTime", [""])[0]
        since_seconds = query.get("sinceSeconds", [""])[0]
        if since_time and since_seconds:
            raise invalid("PodLogOptions", name, [{
                "reason": "FieldValueForbidden", "field": "sinceSeconds",
                "message": "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be "
                           "specified"}])
        args = ["logs", "--timestamps"]
        if follow and "running" in state:
            args.append("--follow")
        if since_time:
            try:
                datetime.datetime.strptime(since_time, "%Y-%m-%dT%H:%M:%SZ")
            except ValueError:
                raise ApiError(400, "BadRequest", f'parsing time "{since_time}" as '
                                                  f'"2006-01-02T15:04:05Z07:00": cannot parse')
            args += ["--since", since_time]
        elif since_seconds:
            args += ["--since", f"{int(since_seconds)}s"]
        # The kubelet serves both streams of the container, in the order they were logged:
        # podman logs writes each entry in one write to the descriptor of its stream, so one pipe
        # for both keeps the order (and the entries whole).
        proc = subprocess.Popen(["podman", *args, f"{podman_name(ns, name)}-{container}"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=PODMAN_ENV)
        with LOCK:
            cfg = STATE["config"]
            drop_after = cfg["dropLogAfterLines"] if cfg["dropLogTimes"] > 0 else 0
            if drop_after:
                cfg["dropLogTimes"] -= 1
        self.start_chunked("text/plain")
        count = 0
        new_line = True
        pending = b""
        try:
            # Read as it comes (not line by line): the kubelet sends a partial line (one without
            # its newline) at once. podman writes each entry in one write, so what follows the
            # last newline of a read is a whole partial entry.
            for data in iter(lambda: proc.stdout.read1(65536), b""):
                pending += data
                while pending:
                    nl = pending.find(b"\n")
                    raw, pending = ((pending[:nl + 1], pending[nl + 1:]) if nl >= 0
                                    else (pending, b""))
                    # Every entry starts with its timestamp (--timestamps): anything else is
                    # podman's own diagnostics on its stderr, not the container's.
                    if new_line and not LOG_STAMP.match(raw):
                        continue
                    # podman prints the entry that continues a partial line right after it: the
                    # kubelet gives the continuation no timestamp of its own, and a last line
                    # without its newline stays without one.
                    starts = [0] + [m.start() for m in LOG_STAMP.finditer(raw, 1)]
                    out = b""
                    for i, start in enumerate(starts):
                        entry = raw[start:starts[i + 1] if i + 1 < len(starts) else len(raw)]
                        stamp = LOG_STAMP.match(entry)
                        text = entry[stamp.end():] if stamp else entry
                        out += entry if stamps and new_line else text
                        new_line = entry.endswith(b"\n")
                    if out:  # an empty chunk would end the stream
                        self.chunk(out)
                    if not new_line:
                        continue
                    count += 1
                    if drop_after and count >= drop_after:
                        # The test hook: the connection breaks as an apiserver-kubelet link
                        # would.
                        proc.kill()
                        self.close_connection = True
                        self.request.shutdown(socket.SHUT_RDWR)
                        return
            self.end_chunks()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()

    # -- exec ----------------------------------------------------------------------------------
    def pod_exec(self, ns, name, query):
        pod, container, state = self.container_for(ns, name, query)
        command = query.get("command", [])
        if not command:
            raise ApiError(400, "BadRequest", "you must specify at least 1 command")
        if "running" not in state:
            raise ApiError(400, "BadRequest", f"container {container} is not running")
        offered = [p.strip() for p in self.headers.get("Sec-WebSocket-Protocol", "").split(",")
                   if p.strip()]
        with LOCK:
            supported = list(STATE["config"]["execProtocols"])
            cfg = STATE["config"]
            drop_after = 0
            if cfg["dropExecTimes"] > 0 and cfg["dropExecMatch"] in " ".join(command):
                drop_after = cfg["dropExecAfterLines"]
                cfg["dropExecTimes"] -= 1
        protocol = next((p for p in offered if p in supported), None)
        if protocol is None:
            raise ApiError(400, "BadRequest", f"unable to upgrade connection: none of the "
                                              f"offered sub-protocols {offered} is supported")
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.send_header("Sec-WebSocket-Protocol", protocol)
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        ws = WebSocket(self.request)
        use_stdin = query.get("stdin", [""])[0] in ("1", "true")
        args = ["podman", "exec"] + (["-i"] if use_stdin else []) + \
            [f"{podman_name(ns, name)}-{container}", *command]
        proc = subprocess.Popen(args, stdin=subprocess.PIPE if use_stdin else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=PODMAN_ENV)
        dropped = threading.Event()
        lines = [0]

        def pump(stream, channel):
            while True:
                data = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
                if not data:
                    return
                if channel == 1 and drop_after:
                    cut = None
                    for i, b in enumerate(data):
                        if b == 10:
                            lines[0] += 1
                            if lines[0] >= drop_after:
                                cut = i + 1
                                break
                    if cut is not None:
                        ws.send(0x2, bytes([channel]) + data[:cut])
                        dropped.set()
                        ws.closed = True
                        try:
                            self.request.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                        proc.kill()
                        return
                ws.send(0x2, bytes([channel]) + data)

        pumps = [threading.Thread(target=pump, args=(proc.stdout, 1), daemon=True),
                 threading.Thread(target=pump, args=(proc.stderr, 2), daemon=True)]
        for t in pumps:
            t.start()

        def reader():
            try:
                while True:
                    op, payload = ws.recv()
                    if op == 0x8:
                        break
                    if op == 0x9:
                        ws.send(0xA, payload)
                        continue
                    if op != 0x2 or not payload:
                        continue
                    if payload[0] == 0 and use_stdin:
                        try:
                            proc.stdin.write(payload[1:])
                            proc.stdin.flush()
                        except (BrokenPipeError, ValueError):
                            pass
                    elif payload[0] == 255 and protocol == "v5.channel.k8s.io" and use_stdin:
                        if payload[1:2] == b"\x00":
                            try:
                                proc.stdin.close()
                            except OSError:
                                pass
            except (EOFError, OSError, ssl.SSLError, ValueError):
                pass
            # The client went away: the command goes too.
            if proc.poll() is None:
                proc.kill()

        threading.Thread(target=reader, daemon=True).start()
        code = proc.wait()
        for t in pumps:
            t.join()
        if dropped.is_set():
            return
        if code == 0:
            status = {"metadata": {}, "status": "Success"}
        else:
            status = {"metadata": {}, "status": "Failure",
                      "message": f"command terminated with non-zero exit code: error executing "
                                 f"command {command}, exit code {code}",
                      "reason": "NonZeroExitCode",
                      "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]}}
        ws.send(0x2, b"\x03" + json.dumps(status).encode())
        ws.send(0x8, (1000).to_bytes(2, "big"))
        time.sleep(0.05)
        try:
            self.request.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


# ----------------------------------------------------------------------------------------------
# Certificates

def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_ca(state, name):
    key, crt = f"{state}/{name}.key", f"{state}/{name}.crt"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
            "-days", "2", "-subj", f"/CN={name}")
    return key, crt


def make_cert(state, ca, name, subject, server=False, ec=False):
    key, csr, crt = f"{state}/{name}.key", f"{state}/{name}.csr", f"{state}/{name}.crt"
    if ec:
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key)
    else:
        openssl("genrsa", "-traditional", "-out", key, "2048")
    openssl("req", "-new", "-key", key, "-out", csr, "-subj", subject)
    ext = f"{state}/{name}.ext"
    with open(ext, "w") as f:
        if server:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        else:
            f.write("extendedKeyUsage=clientAuth\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca[1], "-CAkey", ca[0], "-CAcreateserial",
            "-out", crt, "-days", "2", "-extfile", ext)
    return key, crt


def ensure_pause_image():
    if podman("image", "exists", PAUSE_IMAGE).returncode == 0:
        return
    result = podman("build", "-q", "-t", PAUSE_IMAGE, "-f", "-", "/tmp",
                    input=b'FROM localhost/busybox:local\nCMD ["sleep", "2147483647"]\n')
    if result.returncode != 0:
        raise SystemExit("cannot build the pause image: " + result.stderr.decode())


def main():
    global RBAC
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rbac")
    args = parser.parse_args()
    os.makedirs(args.state, exist_ok=True)
    if args.rbac:
        with open(args.rbac) as f:
            RBAC = json.load(f)
    # Podman needs an infra ("pause") image for pods; none can be pulled here.
    conf = os.environ.get("CONTAINERS_CONF")
    text = open(conf).read() if conf and os.path.exists(conf) else "[engine]\n"
    if "[engine]" not in text:
        text += "\n[engine]\n"
    text = text.replace("[engine]", f'[engine]\ninfra_image = "{PAUSE_IMAGE}"', 1)
    with open(f"{args.state}/containers.conf", "w") as f:
        f.write(text)
    PODMAN_ENV["CONTAINERS_CONF"] = f"{args.state}/containers.conf"
    ensure_pause_image()

    ca = make_ca(args.state, "ca")
    other_ca = make_ca(args.state, "other-ca")
    server = make_cert(args.state, ca, "server", "/CN=kube-apiserver", server=True)
    admin = make_cert(args.state, ca, "admin", "/O=system:masters/CN=admin")
    viewer = make_cert(args.state, ca, "viewer", "/CN=viewer", ec=True)
    stranger = make_cert(args.state, other_ca, "stranger", "/CN=admin")

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(server[1], server[0])
    ctx.load_verify_locations(ca[1])
    ctx.verify_mode = ssl.CERT_OPTIONAL
    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # Refused handshakes (a client that does not trust our CA) are expected.
            if os.environ.get("SC_APISERVER_VERBOSE"):
                super().handle_error(request, client_address)

    httpd = Server(("127.0.0.1", args.port), Handler)
    httpd.daemon_threads = True
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)

    def shutdown(*_):
        with LOCK:
            keys = list(STATE["pods"].keys())
        for key in keys:
            remove_podman_pod(key)
        os._exit(0)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    threading.Thread(target=poller, daemon=True).start()
    info = {"port": httpd.server_address[1], "server": f"https://127.0.0.1:{httpd.server_address[1]}",
            "ca": ca[1], "otherCa": other_ca[1],
            "admin": {"cert": admin[1], "key": admin[0]},
            "viewer": {"cert": viewer[1], "key": viewer[0]},
            "stranger": {"cert": stranger[1], "key": stranger[0]},
            "tokens": RBAC["tokens"]}
    print(json.dumps(info), flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
