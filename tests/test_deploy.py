"""The team-install configuration files are valid for the software that reads them, and agree.

deploy/dagster.yaml goes through Dagster's own instance loader (the schema of every
section) and each configurable class (storage, queue, launcher) through its config schema.
deploy/helm-values.yaml cannot be installed here (no cluster, no helm): its instance part is
rendered the way the chart's templates map the values (``helpers/instance/_run-launcher.tpl``
and the instance ConfigMap, chart 1.13.27) and validated like dagster.yaml, the launcher part
against dagster-k8s's ``K8sRunLauncher`` schema, the container settings as a Kubernetes
``V1Container``. The services themselves: test_distributed.py.
"""

from pathlib import Path

import pytest
import yaml
from dagster._config import validate_config
from dagster._core.instance.config import dagster_instance_config
from dagster._serdes.config_class import ConfigurableClassData, class_from_code_pointer

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
ONE_RUN_PER_DOCUMENT = {"key": "dagster/partition", "value": {"applyLimitPerUniqueValue": True}, "limit": 1}
# the chart's defaults for what the values file leaves out (values.yaml of chart 1.13.27)
CHART_DEFAULTS = {
    "release_namespace": "default",
    "fullname": "report-facts-dagster",
    "dagster_home": "/opt/dagster/dagster_home",
    "service_account": "report-facts-dagster",
    "load_incluster_config": True,
    "image_pull_policy": "Always",
}
# the k8sRunLauncher values the chart's template maps to launcher config; anything else would be dropped
LAUNCHER_KEYS = {
    "loadInclusterConfig": "load_incluster_config",
    "kubeconfigFile": "kubeconfig_file",
    "jobNamespace": "job_namespace",
    "imagePullPolicy": "image_pull_policy",
    "envConfigMaps": "env_config_maps",
    "envSecrets": "env_secrets",
    "envVars": "env_vars",
    "volumeMounts": "volume_mounts",
    "volumes": "volumes",
    "labels": "labels",
    "resources": "resources",
    "failPodOnRunFailure": "fail_pod_on_run_failure",
    "schedulerName": "scheduler_name",
    "securityContext": "security_context",
    "runK8sConfig": "run_k8s_config",
}
RUN_K8S_KEYS = {
    "containerConfig": "container_config",
    "podSpecConfig": "pod_spec_config",
    "podTemplateSpecMetadata": "pod_template_spec_metadata",
    "jobSpecConfig": "job_spec_config",
    "jobMetadata": "job_metadata",
}


def _check_classes(config: dict, sections: tuple[str, ...] = ("run_coordinator", "run_launcher")) -> None:
    """Every configurable class section names an importable class whose own schema accepts its config."""
    for section in sections:
        data = ConfigurableClassData(config[section]["module"], config[section]["class"], "{}")  # as the instance does
        klass = class_from_code_pointer(data.module_name, data.class_name)
        result = validate_config(klass.config_type(), config[section].get("config", {}))
        assert result.success, (section, [e.message for e in result.errors])


def test_instance_config_loads_with_postgres_queue_and_monitored_celery_launcher():
    pytest.importorskip("dagster_celery", reason="the distributed extra is not installed (make install-distributed)")
    config, custom_class = dagster_instance_config(str(DEPLOY))  # Dagster's instance schema, every section
    assert custom_class is None
    assert config["storage"]["postgres"]["postgres_url"] == {"env": "REPORT_FACTS_PG_URL"}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["run_coordinator"]["config"]["tag_concurrency_limits"] == [ONE_RUN_PER_DOCUMENT]
    assert config["run_launcher"]["class"] == "MonitoredCeleryRunLauncher"
    monitoring = config["run_monitoring"]
    assert monitoring["enabled"] and monitoring["max_resume_run_attempts"] == 0
    _check_classes(config)


def test_the_launcher_fails_a_started_run_whose_worker_stopped_beating(monkeypatch):
    pytest.importorskip("dagster_celery", reason="the distributed extra is not installed (make install-distributed)")
    from dagster._core.launcher import WorkerStatus
    from dagster_celery.launcher import CeleryRunLauncher

    from report_facts import celery_runs

    class FakeRedis:
        def __init__(self) -> None:
            self.keys: set[str] = set()

        def set(self, key, value, ex=None):
            self.keys.add(key)

        def exists(self, key):
            return key in self.keys

    class Launcher(celery_runs.MonitoredCeleryRunLauncher):
        def __init__(self, redis) -> None:  # no broker: only the health check is exercised
            self.redis = redis

        @property
        def celery(self):
            outer = self

            class App:
                backend = type("Backend", (), {"client": outer.redis})()

                def AsyncResult(self, task_id):
                    return type("Result", (), {"info": {"hostname": "w1@host", "pid": 7}, "state": "STARTED"})()

            return App()

    # Celery's state says STARTED, as it keeps saying after the worker was killed
    started = celery_runs.CheckRunHealthResult(WorkerStatus.RUNNING)
    monkeypatch.setattr(CeleryRunLauncher, "check_run_worker_health", lambda self, run: started)
    run = type("Run", (), {"tags": {"dagster-celery/task_id": "t1"}})()
    redis = FakeRedis()
    launcher = Launcher(redis)
    dead = launcher.check_run_worker_health(run)
    assert dead.status == WorkerStatus.FAILED and "w1@host (pid 7)" in dead.msg
    redis.set(celery_runs.heartbeat_key("t1"), "w1@host")
    assert launcher.check_run_worker_health(run).status == WorkerStatus.RUNNING


def _helm_values() -> dict:
    return yaml.safe_load((DEPLOY / "helm-values.yaml").read_text())


def _render_launcher(values: dict) -> dict:
    """The run_launcher section the chart writes into the instance ConfigMap for these values."""
    given = values["runLauncher"]["config"]["k8sRunLauncher"]
    assert set(given) <= set(LAUNCHER_KEYS), f"values the chart ignores: {set(given) - set(LAUNCHER_KEYS)}"
    config = {
        "load_incluster_config": given.get("loadInclusterConfig", CHART_DEFAULTS["load_incluster_config"]),
        "job_namespace": given.get("jobNamespace", CHART_DEFAULTS["release_namespace"]),
        "image_pull_policy": given.get("imagePullPolicy", CHART_DEFAULTS["image_pull_policy"]),
        "service_account_name": CHART_DEFAULTS["service_account"],
        "dagster_home": CHART_DEFAULTS["dagster_home"],
        "instance_config_map": f"{CHART_DEFAULTS['fullname']}-instance",
        "postgres_password_secret": values["global"]["postgresqlSecretName"],
    }
    for key in ("envConfigMaps", "envSecrets"):  # lists of {name: ...}, rendered as the names
        if given.get(key):
            config[LAUNCHER_KEYS[key]] = [item["name"] for item in given[key] if "name" in item]
    for key in ("envVars", "volumeMounts", "volumes", "labels", "resources", "securityContext", "schedulerName"):
        if given.get(key):
            config[LAUNCHER_KEYS[key]] = given[key]
    if given.get("failPodOnRunFailure"):
        config["fail_pod_on_run_failure"] = True
    if given.get("runK8sConfig"):
        run_config = given["runK8sConfig"]
        assert set(run_config) <= set(RUN_K8S_KEYS), f"runK8sConfig the chart ignores: {set(run_config)}"
        config["run_k8s_config"] = {RUN_K8S_KEYS[k]: v for k, v in run_config.items()}
    return {"module": "dagster_k8s", "class": "K8sRunLauncher", "config": config}


def test_helm_run_launcher_is_valid_k8s_run_launcher_config():
    pytest.importorskip("dagster_k8s", reason="the distributed extra is not installed (make install-distributed)")
    from dagster_k8s.models import k8s_model_from_dict
    from kubernetes.client import V1Container

    values = _helm_values()
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    launcher = _render_launcher(values)
    _check_classes({"run_launcher": launcher}, sections=("run_launcher",))
    container = launcher["config"]["run_k8s_config"]["container_config"]
    model = k8s_model_from_dict(V1Container, {"name": "run", **container})  # Kubernetes' own field names and types
    assert model.resources.requests["cpu"] == "2"


def test_helm_instance_values_render_a_valid_instance(tmp_path):
    pytest.importorskip("dagster_k8s", reason="the distributed extra is not installed (make install-distributed)")
    values = _helm_values()
    queue = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    monitoring = values["dagsterDaemon"]["runMonitoring"]
    pg = values["postgresql"]
    instance = {
        "storage": {
            "postgres": {
                "postgres_db": {
                    "username": pg["postgresqlUsername"],
                    "password": {"env": "DAGSTER_PG_PASSWORD"},
                    "hostname": pg["postgresqlHost"],
                    "db_name": pg["postgresqlDatabase"],
                    "port": pg["service"]["port"],
                }
            }
        },
        "run_coordinator": {
            "module": "dagster.core.run_coordinator",
            "class": "QueuedRunCoordinator",
            "config": {
                "max_concurrent_runs": queue["maxConcurrentRuns"],
                "tag_concurrency_limits": queue["tagConcurrencyLimits"],
            },
        },
        "run_launcher": _render_launcher(values),
        "run_monitoring": {
            "enabled": monitoring["enabled"],
            "start_timeout_seconds": monitoring["startTimeoutSeconds"],
            "max_runtime_seconds": monitoring["maxRuntimeSeconds"],
            "max_resume_run_attempts": monitoring["maxResumeRunAttempts"],
            "poll_interval_seconds": monitoring["pollIntervalSeconds"],
        },
    }
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(instance))
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["run_coordinator"]["config"]["tag_concurrency_limits"] == [ONE_RUN_PER_DOCUMENT]
    _check_classes(config)
    [deployment] = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"] == ["--module-name", "assets.definitions"]


def test_celery_worker_config_names_the_broker_and_loads_the_heartbeat():
    config = yaml.safe_load((DEPLOY / "celery.yaml").read_text())["execution"]["config"]
    assert config["broker"] == {"env": "REPORT_FACTS_REDIS_URL"}
    assert config["config_source"]["imports"] == ["report_facts.celery_runs"]
