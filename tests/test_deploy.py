"""The team-install configuration files load and agree (the services themselves: test_distributed.py)."""

from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
ONE_RUN_PER_DOCUMENT = {"key": "dagster/partition", "value": {"applyLimitPerUniqueValue": True}, "limit": 1}


def test_instance_config_is_postgres_queue_and_celery():
    config = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())
    assert config["storage"]["postgres"]["postgres_url"] == {"env": "REPORT_FACTS_PG_URL"}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["run_coordinator"]["config"]["tag_concurrency_limits"] == [ONE_RUN_PER_DOCUMENT]
    assert config["run_launcher"]["class"] == "CeleryRunLauncher"


def test_helm_values_load_with_the_same_queue_limit():
    values = yaml.safe_load((DEPLOY / "helm-values.yaml").read_text())
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    queue = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert queue["tagConcurrencyLimits"] == [ONE_RUN_PER_DOCUMENT]
    [deployment] = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"] == ["--module-name", "assets.definitions"]


def test_celery_worker_config_names_the_broker():
    config = yaml.safe_load((DEPLOY / "celery.yaml").read_text())
    assert config["execution"]["config"]["broker"] == {"env": "REPORT_FACTS_REDIS_URL"}
