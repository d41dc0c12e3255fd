"""The catalogue of bad configurations: each one an edit of the tiny config and the error it must give.

Each case names the key path the message must point at and fragments of what
was expected and what was given. ``tests/test_config_errors.py`` runs every case
in-process (lifsim.config) and through the real snakemake.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml


@dataclass(frozen=True)
class Case:
    id: str
    edit: Callable[[dict], None] | None     # edits the config (a dict), or
    text: Callable[[str], str] | None       # edits the YAML text
    path: str                               # key path the message names ("<top level>" for the file)
    expected: str                           # fragment of what was expected
    given: str                              # fragment naming what was given
    args: tuple = field(default=())         # extra snakemake arguments (--config ...)

    def render(self, base: dict) -> str:
        cfg = copy.deepcopy(base)
        if self.edit:
            self.edit(cfg)
        text = yaml.safe_dump(cfg, sort_keys=False)
        return self.text(text) if self.text else text


def _split(path: str) -> list:
    return [int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"\[\d+\]|[^.\[\]]+", path)]


def put(path: str, value):
    def edit(cfg):
        *parents, last = _split(path)
        for key in parents:
            cfg = cfg[key]
        cfg[last] = value
    return edit


def drop(path: str):
    def edit(cfg):
        *parents, last = _split(path)
        for key in parents:
            cfg = cfg[key]
        del cfg[last]
    return edit


def both(*edits):
    def edit(cfg):
        for e in edits:
            e(cfg)
    return edit


def sub(old: str, new: str, count: int = 1):
    """Replace ``old`` in the YAML text (the case fails loudly if ``old`` is not there)."""
    def text(t: str) -> str:
        assert old in t, old
        return t.replace(old, new, count)
    return text


def case(id, edit, path, expected, given, *, text=None, args=()):
    return Case(id, edit, text, path, expected, given, tuple(args))


E = "experiments."
SR, IC, FI, CP = E + "synaptic_response", E + "initial_conditions", E + "fi_curve", E + "coupled_pair"


def alias_bomb(item: str = "'10 ms'") -> str:
    """A flow list of nine anchored lists, each of nine aliases of the one before: 9**9 items once expanded (~1 kB)."""
    lists = [f"&a0 [{', '.join([item] * 9)}]"]
    lists += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return "[" + ", ".join(lists) + "]"


# Bounded inputs (issue 14): each of these must fail in < 2 s and < 300 MB (tests/test_bounds.py measures it).
BOUND_CASES = [
    case("alias_bomb_in_spike_times", None, SR + ".presynaptic_spikes[5]", "at most 100000 values",
         "got 597871 here", text=sub("    presynaptic_spikes:\n    - 10 ms\n",
                                      f"    presynaptic_spikes: {alias_bomb()}\n")),
    case("alias_bomb_in_figure_formats", None, "figures.formats[5]", "at most 100000 values", "an alias bomb?",
         text=sub("  formats:\n  - png\n", f"  formats: {alias_bomb('png')}\n")),
    case("alias_bomb_in_a_sweep_list", None, E + "synchrony_map.sweep.g_star[5]", "at most 100000 values",
         "got 597871 here", text=sub("      g_star:\n      - 20 nS\n      - 40 nS\n",
                                     "      g_star: " + alias_bomb("'20 nS'") + "\n")),
    case("alias_containing_itself", None, SR + ".presynaptic_spikes[0]", "aliases (*name) that do not contain",
         "inside its own anchor", text=sub("    presynaptic_spikes:\n    - 10 ms\n",
                                           "    presynaptic_spikes: &self [*self]\n")),
    case("nesting_too_deep", None, SR + ".presynaptic_spikes" + "[0]" * 30, "nested at most 32 levels",
         "deeper nesting", text=sub("    presynaptic_spikes:\n    - 10 ms\n",
                                    "    presynaptic_spikes: " + "[" * 40 + "]" * 40 + "\n")),
    case("seed_5001_digits", None, "seed", "a whole number of at most 18 digits", "a 5001-digit number",
         text=sub("seed: 20261125", "seed: " + "7" * 5001)),
    case("trials_401_digits", put(IC + ".trials", 10**400), IC + ".trials", "at most 18 digits",
         "a 401-digit number"),
    case("sweep_num_401_digits", put(FI + ".sweep.I_e.num", 10**400), FI + ".sweep.I_e.num", "at most 18 digits",
         "a 401-digit number"),
    case("figure_width_401_digits", put("figures.width", 10**400), "figures.width", "at most 18 digits",
         "a 401-digit number"),
    case("figure_width_nan", None, "figures.width", "a finite number", "got nan",
         text=sub("  width: 5.0", "  width: .nan")),
    case("figure_dpi_infinite", None, "figures.dpi", "a finite number", "got inf",
         text=sub("  dpi: 40", "  dpi: .inf")),
    case("negative_infinity_in_coupling", None, CP + ".coupling[0][1]", "a finite number", "got -inf",
         text=sub("coupling:\n    - - 0\n      - 1\n", "coupling:\n    - - 0\n      - -.inf\n")),
    case("one_megabyte_value", put("integrator", "e" * 2**20), "integrator", "text of at most 200 characters",
         "got 1048576 characters"),
    case("overlong_condition_name", lambda c: c["experiments"]["coupled_pair"]["conditions"].__setitem__(
        "c" * 250, {}), CP + ".conditions", "a key of at most 200 characters", "got 250 characters: 'cccc"),
    # numbers in units: ASCII digits only, plainly written
    case("unit_leading_plus", put("neuron.tau_m", "+10 ms"), "neuron.tau_m", "without a leading '+'", "'+10 ms'"),
    case("unit_full_width_digits", put("neuron.tau_m", "１０ ms"), "neuron.tau_m", "in plain ASCII",
         "U+FF11 FULLWIDTH DIGIT ONE"),
    case("unit_no_break_space", put("neuron.tau_m", "10\xa0ms"), "neuron.tau_m", "in plain ASCII",
         "U+00A0 NO-BREAK SPACE"),
    case("unit_arabic_indic_digits", put("dt", "٠.١ ms"), "dt", "in plain ASCII", "ARABIC-INDIC DIGIT ZERO"),
    case("dt_underflows_to_subnormal", put("dt", "1e-320 ms"), "dt", "0 or at least 2.2e-308 s",
         "'1e-320 ms', which underflows"),
    case("unit_401_digit_number", put(IC + ".duration", "1" * 401 + " ms"), IC + ".duration",
         "text of at most 200 characters", "got 404 characters: '1111"),
    case("unit_150_digit_number", put(IC + ".duration", "1" * 150 + " ms"), IC + ".duration",
         "a number of at most 40 characters", "a 150-character number"),
    case("unit_50_digit_number", put(IC + ".duration", "1" * 50 + " ms"), IC + ".duration",
         "a number of at most 40 characters", "a 50-character number"),
]

CASES = [
    # --- units and numbers
    case("wrong_dimension", put("neuron.tau_m", "10 mV"), "neuron.tau_m", "a time", "'10 mV', which is a voltage"),
    case("wrong_dimension_in_condition", put(CP + ".conditions.strong_coupling.I_e", "3 nS"),
         CP + ".conditions.strong_coupling.I_e", "a current", "'3 nS'"),
    case("missing_unit_number", put("neuron.R_m", 10), "neuron.R_m", "a resistance", "10 (missing unit)"),
    case("missing_unit_text", put("dt", "0.1"), "dt", "a time", "'0.1' (missing unit)"),
    case("unknown_unit", put("neuron.E_m", "-80 mVolt"), "neuron.E_m", "a voltage", "unknown unit 'mVolt'"),
    case("unknown_unit_case", put(CP + ".conditions.strong_coupling.g_star", "60 NS"),
         CP + ".conditions.strong_coupling.g_star", "a conductance", "did you mean 'nS'"),
    case("non_numeric", put("neuron.I_e", "three nA"), "neuron.I_e", "a current", "'three nA'"),
    case("non_numeric_spike_time", put(SR + ".presynaptic_spikes", ["soon"]), SR + ".presynaptic_spikes[0]",
         "a time", "'soon'"),
    case("nan", put("neuron.g_exc", "nan nS"), "neuron.g_exc", "a finite conductance", "'nan nS'"),
    case("infinity", put(IC + ".duration", "inf ms"), IC + ".duration", "a finite time", "'inf ms'"),
    case("overflow_to_infinity", put(FI + ".sweep.I_e.stop", "1e400 nA"), FI + ".sweep.I_e.stop", "a finite current",
         "'1e400 nA'"),
    case("quantity_as_list", put("neuron.tau_syn", [10, "ms"]), "neuron.tau_syn", "a number followed by a unit",
         "[10, 'ms']"),
    case("V_reset_neither_voltage_nor_E_m", put("neuron.V_reset", "E_M"), "neuron.V_reset",
         "E_m or a voltage", "'E_M'"),
    # --- signs and ranges
    case("tau_m_zero", put("neuron.tau_m", "0 ms"), "neuron.tau_m", "a positive value", "'0 ms'"),
    case("tau_syn_negative_in_condition", put(CP + ".conditions.strong_coupling.tau_syn", "-20 ms"),
         CP + ".conditions.strong_coupling.tau_syn", "a positive value", "'-20 ms'"),
    case("R_m_zero", put("neuron.R_m", "0 MOhm"), "neuron.R_m", "a positive value", "'0 MOhm'"),
    case("R_m_negative_in_experiment", put(IC + ".neuron.R_m", "-10 MOhm"), IC + ".neuron.R_m",
         "a positive value", "'-10 MOhm'"),
    case("t_ref_negative", put("neuron.t_ref", "-1 ms"), "neuron.t_ref", "a value >= 0", "'-1 ms'"),
    case("conductance_negative", put(SR + ".conditions.shunting.g_inh", "-200 nS"),
         SR + ".conditions.shunting.g_inh", "a value >= 0", "'-200 nS'"),
    case("duration_zero", put(IC + ".duration", "0 ms"), IC + ".duration", "a positive duration", "'0 ms'"),
    case("duration_negative_in_sweep", put(FI + ".durations", ["50 ms", "-100 ms"]), FI + ".durations[1]",
         "a positive duration", "'-100 ms'"),
    case("duration_below_dt", put(CP + ".duration", "0.05 ms"), CP + ".duration", "at least one time step",
         "'0.05 ms'"),
    case("dt_zero", put("dt", "0 ms"), "dt", "a positive time step", "'0 ms'"),
    case("dt_negative_in_experiment", put(SR + ".dt", "-0.1 ms"), SR + ".dt", "a positive time step", "'-0.1 ms'"),
    case("dt_above_tenth_of_tau", put("dt", "2 ms"), "dt", "dt < 0.1 x the smallest time constant", "got 2 ms"),
    case("dt_equal_to_tenth_of_tau", put(IC + ".neuron.tau_m", "1 ms"), "dt", "dt < 0.1 x the smallest time constant "
         "(1 ms in initial_conditions/base", "got 0.1 ms"),
    case("dt_above_tenth_of_condition_tau_syn", put(CP + ".conditions.base.tau_syn", "0.5 ms"), "dt",
         "(0.5 ms in coupled_pair/base", "got 0.1 ms"),
    case("dt_above_tenth_of_shunted_tau", put(SR + ".conditions.shunting.g_inh", "10 uS"), "dt",
         "ms in synaptic_response/shunting", "got 0.1 ms"),
    case("V_reset_equals_V_thr", put("neuron.V_reset", "-54 mV"), "neuron.V_reset", "V_reset below V_thr",
         "'-54 mV'"),
    case("V_reset_above_V_thr_in_condition", put(CP + ".conditions.base.V_reset", "-50 mV"),
         CP + ".conditions.base.V_reset", "V_reset below V_thr ('-54 mV' at neuron.V_thr)", "'-50 mV'"),
    case("V_reset_follows_E_m_above_V_thr", put(CP + ".neuron.E_m", "-50 mV"), "neuron.V_reset",
         "V_reset below V_thr", f"E_m = '-50 mV' (from {CP}.neuron.E_m)"),
    case("V_reset_follows_swept_E_m_above_V_thr", put(IC + ".sweep", {"E_m": ["-80 mV", "-50 mV"]}), IC + ".sweep.E_m",
         "V_reset below V_thr at every sweep point", "V_reset up to -50 mV and V_thr down to -54 mV"),
    case("swept_V_thr_below_V_reset", put(FI + ".sweep", {"V_thr": ["-54 mV", "-85 mV"]}), FI + ".sweep.V_thr",
         "V_reset below V_thr at every sweep point", "V_reset up to -80 mV and V_thr down to -85 mV"),
    case("V_init_low_above_high", put(IC + ".V_init.uniform", ["-75 mV", "-85 mV"]), IC + ".V_init.uniform",
         "low < high", "['-75 mV', '-85 mV']"),
    case("V_init_one_per_neuron", put(CP + ".V_init", ["-60 mV"]), CP + ".V_init",
         "2 initial voltage(s), one per neuron", "got 1"),
    # --- keys
    case("unknown_top_level_key", put("seeds", 1), "seeds", "one of the keys", "did you mean 'seed'"),
    case("unknown_neuron_key", put("neuron.tau_n", "10 ms"), "neuron.tau_n", "one of the keys", "did you mean 'tau_m'"),
    case("unknown_experiment_key", put(IC + ".trails", 5), IC + ".trails", "one of the keys", "did you mean 'trials'"),
    case("unknown_experiment_neuron_key", put(CP + ".neuron.I_ee", "3 nA"), CP + ".neuron.I_ee", "one of the keys",
         "did you mean 'I_e'"),
    case("unknown_condition_key", put(SR + ".conditions.shunting.g_inhh", "2 nS"), SR + ".conditions.shunting.g_inhh",
         "one of the keys", "did you mean 'g_inh'"),
    case("unknown_sweep_key", put(FI + ".sweep.I_e.nun", 3), FI + ".sweep.I_e.nun", "one of the keys", "did you mean 'num'"),
    case("unknown_V_init_key", put(IC + ".V_init", {"uniformm": ["-85 mV", "-75 mV"]}), IC + ".V_init.uniformm",
         "one of the keys", "did you mean 'uniform'"),
    case("unknown_analysis_key", put("analysis.lock_tolerence", "0.2 ms"), "analysis.lock_tolerence", "one of the keys",
         "did you mean 'lock_tolerance'"),
    case("unknown_figures_key", put("figures.formatss", ["png"]), "figures.formatss", "one of the keys",
         "did you mean 'formats'"),
    case("key_the_kind_ignores", put(FI + ".presynaptic_spikes", ["10 ms"]), FI + ".presynaptic_spikes",
         "keys that an experiment of kind 'fi_curve' uses", "'presynaptic_spikes', which it would ignore"),
    case("missing_top_level_key", drop("dt"), "dt", "the required key 'dt'", "got nothing"),
    case("missing_neuron_key", drop("neuron.E_m"), "neuron.E_m", "the required key 'E_m'", "got nothing"),
    case("missing_kind", drop(CP + ".kind"), CP + ".kind", "the required key 'kind'", "got nothing"),
    case("missing_sweep_num", drop(FI + ".sweep.I_e.num"), FI + ".sweep.I_e.num", "the required key 'num'", "got nothing"),
    # --- sweeps, spikes, coupling
    case("empty_sweep", put(FI + ".sweep.I_e.num", 0), FI + ".sweep.I_e.num", "a number >= 1", "got 0"),
    case("empty_durations", put(FI + ".durations", []), FI + ".durations", "at least 1 item(s)", "got []"),
    case("sweep_start_equals_stop", put(FI + ".sweep.I_e.start", "5 nA"), FI + ".sweep.I_e", "distinct sweep values",
         "start = stop = '5 nA'"),
    case("duplicate_sweep_values", put(FI + ".durations", ["50 ms", "0.05 s"]), FI + ".durations",
         "distinct durations", "['50 ms', '0.05 s'], which repeats a value"),
    case("spike_after_window", put(SR + ".presynaptic_spikes", ["70 ms"]), SR + ".presynaptic_spikes[0]",
         "within the simulated window [0, 60 ms)", "'70 ms'"),
    case("spike_negative", put(SR + ".presynaptic_spikes", ["10 ms", "-5 ms"]), SR + ".presynaptic_spikes[1]",
         "within the simulated window", "'-5 ms'"),
    case("coupling_not_square", put(CP + ".coupling", [[0, 1], [1, 0], [1, 1]]), CP + ".coupling[0]",
         "a square matrix: 3 entries per row", "got 2"),
    case("coupling_weight_not_0_or_1", put(CP + ".coupling", [[0, 2], [1, 0]]), CP + ".coupling[0][1]", "0 or 1",
         "got 2"),
    case("coupling_weight_negative", put(CP + ".coupling", [[0, 1], [-1, 0]]), CP + ".coupling[1][0]", "0 or 1",
         "got -1"),
    case("coupling_weight_text", put(CP + ".coupling", [[0, "one"], [1, 0]]), CP + ".coupling[0][1]", "a number",
         "'one'"),
    # --- names, kinds, files
    case("duplicate_experiment", None, E + "fi_curve", "each key once", "'fi_curve' twice",
         text=sub("  coupled_pair:\n", "  fi_curve:\n    kind: fi_curve\n  coupled_pair:\n")),
    case("duplicate_condition", None, SR + ".conditions.excitatory", "each key once", "'excitatory' twice",
         text=sub("      inhibitory:", "      excitatory:\n        E_syn: 0 mV\n      inhibitory:")),
    case("unknown_kind", put(FI + ".kind", "fi_curv"), FI + ".kind", "one of 'synaptic_response'",
         "did you mean 'fi_curve'"),
    case("condition_name_read_as_boolean", None, SR + ".conditions.off", "a key that is text",
         "'off' at line", text=sub("      inhibitory:", "      off: {}\n      inhibitory:")),
    case("experiment_name_with_a_slash", lambda c: c["experiments"].__setitem__(
        "fi/curve", c["experiments"].pop("fi_curve")), E + "fi/curve", "letters, digits, _ and -", "'fi/curve'"),
    case("yaml_syntax_error", None, "<top level>", "valid YAML", "starts at line 1, column 7",
         text=lambda t: "seed: [1, 2\n" + t),
    case("yaml_bad_indentation", None, "<top level>", "valid YAML", "mapping values are not allowed",
         text=sub("  tau_m: 10 ms\n", "  tau_m: 10 ms\n   R_m: 10 MOhm\n")),
    case("yaml_python_tag", None, "seed", "plain YAML data", "'!!python/object/apply:os.system'",
         text=lambda t: t.replace("seed: 20261125", 'seed: !!python/object/apply:os.system ["touch pwned"]')),
    case("yaml_template_code", None, "__use_yte__", "one of the keys", "'__use_yte__'",
         text=lambda t: "__use_yte__: true\n" + t.replace("seed: 20261125",
                                                            'seed: ?__import__("os").system("touch pwned")')),
    case("not_a_mapping", None, "<top level>", "a mapping of keys", "got a list", text=lambda t: "- seed\n- dt\n"),
    case("memory", both(put(FI + ".sweep.I_e.num", 3_000_000), put(FI + ".record", ["V"])), FI,
         "traces that fit in memory", "GiB for the experiment's 150 jobs gathered"),
    case("memory_huge_trials", both(put(IC + ".trials", 10**12), put(IC + ".duration", "10 s")), IC,
         "traces that fit in memory", "1000000000000 neuron(s)"),
    case("unknown_integrator", put("integrator", "rk4"), "integrator", "one of 'euler', 'exact'", "'rk4'"),
    case("unknown_recorded_variable", put(SR + ".record", ["V", "spikes"]), SR + ".record[1]", "one of 'V'",
         "'spikes'"),
    case("trials_not_an_integer", put(IC + ".trials", "three"), IC + ".trials", "a whole number", "'three'"),
    case("override_on_command_line", None, "dt", "dt < 0.1 x the smallest time constant", "got 5 ms",
         args=("--config", "dt=5 ms")),
    *BOUND_CASES,
]
