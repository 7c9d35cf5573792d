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
    assert any(s.get("run", "").strip() == "make build" for _, _, s in steps())


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version():
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$", line), f"{path.name}: {line.strip()}"
