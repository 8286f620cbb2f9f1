"""Reads a TensorBoard log directory with TensorBoard's own readers; prints JSON on stdout.

For each run (".", "train", "validation" when present): the scalars and histograms as
`event_accumulator.EventAccumulator` reads them, and the hparams plugin's data as the plugin's
own `metadata.parse_*` functions read what `plugin_event_accumulator.EventAccumulator` collected.
"""
import json
import os
import sys

from tensorboard.backend.event_processing import event_accumulator, plugin_event_accumulator
from tensorboard.plugins.hparams import metadata as hparams_metadata
from google.protobuf import json_format

def hparams_sessions(parent):
    """The session groups the HParams tab's backend lists for a log directory of runs (run/train, run/validation)."""
    from tensorboard import context as tb_context
    from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
    from tensorboard.plugins.hparams import api_pb2, backend_context, list_session_groups

    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(parent)
    multiplexer.Reload()
    tb = type("TBContext", (), {"data_provider": data_provider.MultiplexerDataProvider(multiplexer, parent), "multiplexer": multiplexer, "logdir": parent})()
    request = api_pb2.ListSessionGroupsRequest(start_index=0, slice_size=100, allowed_statuses=[0, 1, 2, 3])
    groups = list_session_groups.Handler(tb_context.RequestContext(), backend_context.Context(tb), "", request).run()
    return json_format.MessageToDict(groups)


if sys.argv[1] == "--hparams-sessions":
    print(json.dumps(hparams_sessions(sys.argv[2])))
    sys.exit(0)

log_dir = sys.argv[1]
out = {}
for run in [".", "train", "validation"]:
    path = os.path.join(log_dir, run)
    if not os.path.isdir(path):
        continue
    acc = event_accumulator.EventAccumulator(path, size_guidance={"scalars": 0, "histograms": 0})
    acc.Reload()
    tags = acc.Tags()
    scalars = {t: [[e.step, e.value] for e in acc.Scalars(t)] for t in tags["scalars"]}
    histograms = {
        t: [{"step": e.step, "min": e.histogram_value.min, "max": e.histogram_value.max, "num": e.histogram_value.num,
             "sum": e.histogram_value.sum, "buckets": sum(e.histogram_value.bucket)} for e in acc.Histograms(t)]
        for t in tags["histograms"]
    }
    plugin = plugin_event_accumulator.EventAccumulator(path)
    plugin.Reload()
    hparams = {}
    contents = plugin.PluginTagToContent(hparams_metadata.PLUGIN_NAME) if hparams_metadata.PLUGIN_NAME in plugin.ActivePlugins() else {}
    for tag, content in contents.items():
        if tag == hparams_metadata.EXPERIMENT_TAG:
            message = hparams_metadata.parse_experiment_plugin_data(content)
        elif tag == hparams_metadata.SESSION_START_INFO_TAG:
            message = hparams_metadata.parse_session_start_info_plugin_data(content)
        else:
            message = hparams_metadata.parse_session_end_info_plugin_data(content)
        hparams[tag] = json_format.MessageToDict(message)
    plugin_scalar_tags = plugin.Tags()["tensors"]
    out[run] = {"scalars": scalars, "histograms": histograms, "hparams": hparams, "tensors": sorted(plugin_scalar_tags)}
print(json.dumps(out))
