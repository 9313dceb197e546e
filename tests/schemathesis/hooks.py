"""Schemathesis hooks for tests/schemathesis/run (loaded through SCHEMATHESIS_HOOKS).

The hostile-client run signs in once per role and fuzzes every operation with those
tokens. A few generated requests would change the accounts the run itself depends on:
`PATCH /users/{id}` can deactivate a tester, reset its password (both end its sessions)
or change its role, which would turn the rest of the run into a stream of 401s or test
the wrong role. Rather than leaving the operation out, requests aimed at a tester are
redirected to a sacrificial account created for the purpose; every other id (unknown,
negative, huge, another demo person) is sent as generated.

Environment (set by the run script):
  ZHMP_ST_PROTECTED_IDS  comma-separated user ids of the signed-in testers
  ZHMP_ST_VICTIM_ID      the sacrificial account's id
"""

import os

import schemathesis

PROTECTED = {
    int(part)
    for part in os.environ.get("ZHMP_ST_PROTECTED_IDS", "").split(",")
    if part.strip()
}
VICTIM = int(os.environ.get("ZHMP_ST_VICTIM_ID", "0") or 0)

# Operations whose `{id}` is a user id and that can take a session away from its owner.
ACCOUNT_CHANGING = {("PATCH", "/users/{id}")}


@schemathesis.hook
def before_call(context, case, kwargs):
    operation = (case.operation.method.upper(), case.operation.path)
    if operation not in ACCOUNT_CHANGING or not VICTIM:
        return
    params = case.path_parameters or {}
    if _as_user_id(params.get("id")) in PROTECTED:
        params["id"] = VICTIM


def _as_user_id(value):
    """The id the server would parse from a generated path value, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.lstrip("+-").isdigit():
        return int(text)
    return None
