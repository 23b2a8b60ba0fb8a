import pandas as pd

import civicgraph as cg
from civicgraph.metrics._scope import hub_scope


def _covered_ids(g, scope):
    t = g.tree
    return sorted(g.ids[t.communities[scope.covered()]])


def test_scope_from_location(toy):
    s = hub_scope(toy)
    assert _covered_ids(toy, s) == ["990101001001", "990101001002", "990102001001"]
    per_hub = s.communities_per_hub(toy.n_nodes)
    h1, h2 = toy.positions(["H1", "H2"])
    assert per_hub[h1] == 2 and per_hub[h2] == 1


def test_scope_as_of_drops_hubs_not_yet_started(toy):
    s = hub_scope(toy, as_of="2018-01-01")
    assert _covered_ids(toy, s) == ["990101001001", "990101001002"]


def test_serves_edges_replace_location(toy):
    nodes, edges = toy.to_frames()
    extra = pd.DataFrame(
        [
            {"source": "H1", "target": "990101002", "kind": "serves"},
            {"source": "H1", "target": "990101", "kind": "serves"},  # nests the one above
        ]
    )
    g = cg.CivicGraph.from_frames(nodes, pd.concat([edges, extra], ignore_index=True))
    s = hub_scope(g)
    assert _covered_ids(g, s) == ["990101001001", "990101001002", "990101002201", "990102001001"]
    per_hub = s.communities_per_hub(g.n_nodes)
    assert per_hub[g.positions(["H1"])[0]] == 3  # counted once despite nesting
    assert sorted(s.coverers().tolist()) == [0, 0, 1, 1, 1, 1]
