"""The GitHub workflows build and test through the Makefile, like the README and .ci/run: one way to build."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
MAKE_TARGETS = set(re.findall(r"^([a-z-]+):.*## ", (ROOT / "Makefile").read_text(), re.M))


def steps():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text())
        for job_name, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                yield path.name, job_name, step


def test_every_run_step_is_a_make_target():
    runs = [(f, j, s["run"]) for f, j, s in steps() if "run" in s]
    assert runs, "no workflow runs anything"
    for file, job, command in runs:
        match = re.fullmatch(r"make ([a-z-]+)", command.strip())
        assert match and match[1] in MAKE_TARGETS, f"{file}/{job}: '{command}' is not a `make <target>` of the Makefile"


def test_ci_entry_point_and_workflows_run_make_test():
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)
    assert any(s.get("run", "").strip() == "make test" for _, _, s in steps())


def test_deploy_uses_the_pages_artifact_flow():
    used = [s.get("uses", "").split("@")[0] for _, _, s in steps()]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in used
    # The job that uploads the site builds it and prints its PDFs: `make pdf` runs `make build` first.
    assert any(s.get("run", "").strip() == "make pdf" for _, _, s in steps())


# The first major of each action whose action.yml runs on node24 (for upload-pages-artifact, a composite action, the
# first whose upload-artifact step does). GitHub removed Node 20 from its runners on 2026-09-16: a pin below these
# majors would not run. A new action goes into this table with its own node24 major.
NODE24_MAJORS = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/setup-node": 5,
    "actions/cache": 5,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}
PIN = re.compile(r"uses: (?P<action>[\w./-]+)@(?P<sha>[0-9a-f]{40}) # v(?P<major>\d+)\.\d+\.\d+$")


def pins():
    """(file, line, match) for every `uses:` line; match is None where the line is not a SHA pin with its version."""
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if re.match(r"\s*(- )?uses:", line):
                yield path.name, line.strip(), PIN.search(line)


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version():
    found = list(pins())
    assert len(found) == sum(1 for _, _, s in steps() if "uses" in s), "a `uses:` the line scan missed"
    for file, line, match in found:
        assert match, f"{file}: '{line}' is not `uses: owner/repo@<40-hex SHA> # vX.Y.Z`"


def test_every_action_runs_on_node24():
    for file, line, match in pins():
        assert match, f"{file}: '{line}'"
        action, major = match["action"], int(match["major"])
        assert action in NODE24_MAJORS, f"{file}: add {action} to NODE24_MAJORS with its first node24 major"
        floor = NODE24_MAJORS[action]
        assert major >= floor, f"{file}: {action} v{major} runs on Node 20; it runs on node24 from v{floor}"


def test_each_action_is_pinned_to_one_release():
    releases = {}
    for _, _, match in pins():
        if match:  # an unpinned line fails the test above
            releases.setdefault(match["action"], set()).add(match["sha"])
    assert {a: s for a, s in releases.items() if len(s) > 1} == {}


def test_the_build_node_is_declared_once_in_nvmrc():
    assert re.fullmatch(r"\d+\n", (ROOT / ".nvmrc").read_text()), ".nvmrc holds one Node major"
    setup_node = [s for _, _, s in steps() if s.get("uses", "").startswith("actions/setup-node@")]
    assert setup_node
    for step in setup_node:
        assert step["with"].get("node-version-file") == ".nvmrc" and "node-version" not in step["with"]


def test_dependabot_proposes_every_action_update_after_a_cooldown():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    (actions,) = [u for u in config["updates"] if u["package-ecosystem"] == "github-actions"]
    assert "ignore" not in actions, "nothing may hold the actions back from their next (node24 or later) major"
    assert actions["cooldown"]["default-days"] >= 1
