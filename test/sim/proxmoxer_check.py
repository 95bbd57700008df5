#!/usr/bin/python3
"""Independent-client check of the Jarvis PVE simulator with Debian's python3-proxmoxer (1.2.0).

Reads SIM_HOST ("ip:port"), SIM_TOKEN_USER, SIM_TOKEN_NAME, SIM_TOKEN_VALUE, SIM_USER, SIM_PASSWORD,
SIM_NODE, SIM_STOPPED_VMID, SIM_RUNNING_VMID from the environment and prints one JSON object.
"""
import json
import os
import sys
import time
import urllib.request

import urllib3
from proxmoxer import ProxmoxAPI

urllib3.disable_warnings()


def wait_task(api, node, upid, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = api.nodes(node).tasks(upid).status.get()
        if status.get("status") == "stopped":
            return status
        time.sleep(0.05)
    raise RuntimeError("task %s did not stop in time" % upid)


def main():
    env = os.environ
    host = env["SIM_HOST"]
    node = env["SIM_NODE"]
    out = {}

    token_api = ProxmoxAPI(host, user=env["SIM_TOKEN_USER"], token_name=env["SIM_TOKEN_NAME"],
                           token_value=env["SIM_TOKEN_VALUE"], verify_ssl=False, timeout=10)
    nodes = token_api.nodes.get()
    out["token_nodes"] = sorted(n["node"] for n in nodes)
    resources = token_api.cluster.resources.get()
    out["token_resource_types"] = sorted(set(r["type"] for r in resources))
    out["token_vm_count"] = len(token_api.cluster.resources.get(type="vm"))
    status = token_api.nodes(node).status.get()
    out["token_node_status_keys"] = sorted(status.keys())
    out["token_loadavg"] = status["loadavg"]

    ticket_api = ProxmoxAPI(host, user=env["SIM_USER"], password=env["SIM_PASSWORD"], verify_ssl=False, timeout=10)
    out["ticket_nodes"] = sorted(n["node"] for n in ticket_api.nodes.get())
    out["ticket_resource_count"] = len(ticket_api.cluster.resources.get())
    out["ticket_node_uptime_positive"] = ticket_api.nodes(node).status.get()["uptime"] > 0

    # Start a stopped VM with the ticket (POST: cookie + CSRF header) and follow its task.
    upid = ticket_api.nodes(node).qemu(env["SIM_STOPPED_VMID"]).status.start.post()
    out["start_upid"] = upid
    out["start_task"] = wait_task(ticket_api, node, upid)
    out["started_vm_status"] = token_api.nodes(node).qemu(env["SIM_STOPPED_VMID"]).status.current.get()["status"]

    # Start a running VM with the token: accepted, but the task fails.
    upid2 = token_api.nodes(node).qemu(env["SIM_RUNNING_VMID"]).status.start.post()
    out["running_start_task"] = wait_task(token_api, node, upid2)
    log = token_api.nodes(node).tasks(upid2).log.get()
    out["running_start_log_last"] = log[-1]["t"]

    # An error surfaces as proxmoxer's ResourceException with the reason phrase.
    try:
        token_api.nodes(node).qemu(999999).status.current.get()
        out["missing_vm_error"] = None
    except Exception as error:  # proxmoxer.core.ResourceException
        out["missing_vm_error"] = str(error)

    # An offline node: proxied calls fail with 595 (proxmoxer knows the code's meaning).
    admin = env["SIM_ADMIN_URL"]
    urllib.request.urlopen(urllib.request.Request(admin + "/nodes/agent/offline", method="POST", data=b""))
    try:
        token_api.nodes("agent").status.get()
        out["offline_node_error"] = None
    except Exception as error:
        out["offline_node_error"] = str(error)
    out["offline_node_in_resources"] = [n["status"] for n in token_api.cluster.resources.get(type="node") if n["node"] == "agent"]
    urllib.request.urlopen(urllib.request.Request(admin + "/nodes/agent/online", method="POST", data=b""))

    # A bad password is refused (401 with a JSON body -> AuthenticationError).
    try:
        ProxmoxAPI(host, user=env["SIM_USER"], password="wrong", verify_ssl=False, timeout=10)
        out["bad_password_error"] = None
    except Exception as error:
        out["bad_password_error"] = type(error).__name__

    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
