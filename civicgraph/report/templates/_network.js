/* civicgraph: draw a network whose data sits in a JSON script element with id "ID-data".
   Tooltips arrive as HTML built from escaped strings and are turned into elements. */
function cgDrawNetwork(id) {
  var data = JSON.parse(document.getElementById(id + "-data").textContent);
  function asElement(item) {
    if (typeof item.title === "string") {
      var el = document.createElement("div");
      el.className = "cg-tip";
      el.innerHTML = item.title;
      item.title = el;
    }
    return item;
  }
  var nodes = new vis.DataSet(data.nodes.map(asElement));
  var edges = new vis.DataSet(data.edges.map(asElement));
  var container = document.getElementById(id);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  if (data.options.physics && data.options.physics.enabled !== false) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
    });
  }
  container.cgNetwork = network;
  return network;
}
