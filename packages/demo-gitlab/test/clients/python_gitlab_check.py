"""Drives the demo GitLab with python-gitlab, an independent client; prints one JSON line of findings.

Usage: python3 python_gitlab_check.py <url> <private token>
"""
import json
import sys

import gitlab

url, token = sys.argv[1], sys.argv[2]
gl = gitlab.Gitlab(url, private_token=token, per_page=1)
gl.auth()
out = {"user": gl.user.username, "version": gl.version()[0]}

# Pagination: python-gitlab follows the Link / X-Next-Page headers page by page.
out["projects"] = [p.path_with_namespace for p in gl.projects.list(iterator=True, order_by="id", sort="asc")]

project = gl.projects.get("eci/java-demo")
ci = project.files.get(file_path=".gitlab-ci.yml", ref="main")
out["ci_has_package_job"] = "mvn_package_job" in ci.decode().decode()

pipeline = project.pipelines.create({"ref": "main", "variables": [{"key": "FROM_PYTHON", "value": "1"}]})
out["pipeline_status"] = pipeline.status
out["jobs"] = [j.name for j in pipeline.jobs.list(all=True)]
pipeline.cancel()
pipeline.refresh()
out["after_cancel"] = pipeline.status
pipeline.retry()
pipeline.refresh()
out["after_retry"] = pipeline.status

runner = gl.http_post("/user/runners", post_data={"runner_type": "project_type", "project_id": project.id})
out["runner_token_prefix"] = runner["token"][:5]
out["runner_status"] = gl.runners.get(runner["id"]).status

try:
    gl.projects.get(999)
except gitlab.exceptions.GitlabGetError as error:
    out["missing"] = [error.response_code, error.error_message]

print(json.dumps(out))
