"""The order in which the suite's tests start, so that the two pytest-xdist workers end together.

pytest-xdist (``--dist loadgroup``, pyproject's addopts) hands the tests to its workers in collection order,
a worker getting more when it has two left. The tests of a group (``GROUPS``: a module whose module-scoped
fixtures are worth building once, or the modules that compile the numba kernels) go to one worker together;
every other test is a unit of its own. :func:`order` sorts the units by
their estimated cost, longest first (so the last to start are short ones, whichever worker takes them),
except that units which read a shared run (tests/shared_runs.py) start only after about ``HEADSTART`` s of
other work, while those runs are built in the background. The costs are estimates (s of CPU, user + system
with subprocesses, measured on a full run): they decide the order only, never what runs.
"""
from __future__ import annotations

# s per test (a name without its parameters: each of its tests), for the tests that take more than ~1.5 s
TEST_COST = {
    "test_property.py::test_a_config_that_validates_runs_to_its_figures[synaptic_response]": 28,
    "test_property.py::test_a_config_that_validates_runs_to_its_figures[coupled_pair]": 21,
    "test_property.py::test_a_config_that_validates_runs_to_its_figures[fi_curve]": 13,
    "test_property.py::test_a_config_that_validates_runs_to_its_figures": 11,
    "test_kinds.py::test_the_studies_config_runs_to_its_figures_with_labelled_datasets": 24,
    "test_noise_pipeline.py::test_the_noise_kinds_run_through_snakemake": 19,
    "test_faults.py::test_runs_killed_at_several_points_resume_to_the_clean_result": 19,
    "test_integrity.py::test_a_damaged_dataset_with_its_mtime_restored_is_caught_by_archive_and_verify_deep": 14,
    "test_config_errors.py::test_any_single_odd_value_gives_a_config_error_or_a_valid_plan": 13,
    "test_integrity.py::test_a_damaged_simulation_stops_the_run_naming_it_and_keeps_the_good_dataset": 9,
    "test_integrity.py::test_any_flipped_bit_is_caught_or_changes_nothing_a_reader_sees": 8,
    "test_noise_kinds.py::test_exact_meets_the_accuracy_goal_through_the_kind_and_euler_maruyama_is_reported": 7,
    "test_kinds.py::test_the_pipeline_runs_from_any_working_directory": 6,
    "test_module.py::test_another_workflow_uses_lifsims_rules_and_adds_its_own": 5,
    "test_kinds.py::test_a_new_kind_is_one_module_and_one_registry_line": 4,
    "test_integrity.py::test_science_warnings_of_the_run_are_listed_at_its_end": 4,
    "test_faults.py::test_parallel_readers_never_fail_while_the_file_is_replaced": 4,
    "test_config_layering.py::test_an_overlay_holds_only_what_differs_and_reaches_the_jobs": 3,
    "test_extract.py::test_a_small_gzip_of_2_GiB_of_zeros_is_refused_without_writing_it": 3,
    "test_pipeline.py::test_default_config_dry_run_and_lint_are_clean": 2.5,
    "test_noise_kinds.py::test_poisson_input_meets_campbell_and_drives_the_output": 2.5,
    "test_integrity.py::test_without_the_handlers_the_job_itself_stops_with_one_line": 2.5,
    "test_faults.py::test_an_unstable_job_fails_with_its_names_and_writes_no_dataset": 2,
    "test_rerun_scope.py::test_an_edit_reruns_exactly_what_depends_on_it": 1.6,
    "test_rerun_scope.py::test_the_copy_of_a_finished_run_is_up_to_date": 1.6,
    "test_codedeps.py::test_the_code_inputs_snakemake_lists_are_the_closures": 1.7,
    "test_pipeline.py::test_second_run_has_nothing_to_do": 1.7,
    "test_config_errors.py::test_snakemake_refuses_before_any_job": 0.4,
}
# modules worth running in one worker only: module-scoped (or costly session-scoped) fixtures built once,
# and the tests that compile the numba kernels (on a clean checkout; numba's cache is then shared)
GROUPS = {name: name.removesuffix(".py") for name in (
    "test_noise_integrator.py", "test_convergence.py", "test_sweep_science.py", "test_archive.py", "test_exact.py",
    "test_pair.py", "test_science.py", "test_docs.py", "test_slurm_profile.py", "test_report.py", "test_cli.py")}
GROUPS.update({"test_euler.py": "numba_kernels", "test_exact_numba.py": "numba_kernels"})
# s per group (its tests and fixtures together)
GROUP_COST = {"test_archive": 16, "test_noise_integrator": 9, "test_report": 8, "test_cli": 8, "test_docs": 5,
              "numba_kernels": 12, "test_slurm_profile": 3, "test_exact": 3, "test_sweep_science": 2, "test_pair": 2}
PER_TEST = 0.1           # s: a test not in the tables
HEADSTART = 150.0        # s of other work to start before the units that read a shared run


def module_of(item) -> str:
    return item.nodeid.split("::")[0].rsplit("/", 1)[-1]


def item_cost(item) -> float:
    name = item.nodeid.rsplit("/", 1)[-1]
    return TEST_COST.get(name, TEST_COST.get(name.split("[")[0], PER_TEST))


def order(items: list, reads_shared_run) -> list:
    """``items`` in units (a group, or one test), the costliest first; a unit with a test for which
    ``reads_shared_run(item)`` holds only after ``HEADSTART`` s of the others."""
    units: dict[str, list] = {}
    for item in items:
        units.setdefault(GROUPS.get(module_of(item), item.nodeid), []).append(item)

    def cost(key: str) -> float:
        if key in GROUP_COST or key in GROUPS.values():
            return GROUP_COST.get(key, PER_TEST * len(units[key]))
        return item_cost(units[key][0])

    ranked = sorted(units, key=lambda key: -cost(key))         # stable: equal costs keep collection order
    shared = {key for key in ranked if any(reads_shared_run(item) for item in units[key])}
    out: list[str] = []
    deferred: list[str] = []
    done = 0.0
    for key in ranked:
        if key in shared and done < HEADSTART:
            deferred.append(key)
            continue
        if deferred and done >= HEADSTART:
            out += deferred
            deferred = []
        out.append(key)
        if key not in shared:
            done += cost(key)
    out += deferred
    return [item for key in out for item in units[key]]
