// skynet-bridge console: one live stream (/api/events, server-sent events) feeds every view; the send box and the
// disconnect buttons call the JSON API. No library, no build step.
"use strict";

const MAX_TRAFFIC_ROWS = 500;      // rows kept in the page, newest first
const MAX_PAUSED = 500;            // entries held while paused; older ones are counted as skipped

const $ = (id) => document.getElementById(id);
const state = { paused: false, held: [], pausedSkipped: 0, missed: 0 };

if (location.search.includes("token=")) {
  // The token is now in an HttpOnly cookie: keep it out of the address bar and the history.
  history.replaceState(null, "", "/");
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== "") node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function td(label, content, cls) {
  return el("td", { "data-label": label, class: cls || "" }, content);
}

// 42 and "42" are different channels: a number is shown as #42, a name in quotes. Numbers come from the canonical
// form (n:42), which stays exact past 2^53 where a JavaScript number would not.
function channelText(channel) {
  return channel.type === "number" ? channel.canonical.substring(2) : JSON.stringify(channel.value);
}

function channelNode(channel) {
  return el("span", { class: "chan-" + channel.type, title: channel.canonical }, channelText(channel));
}

function showProblem(text) {
  const problem = $("problem");
  problem.hidden = !text;
  problem.textContent = text || "";
}

// ---------------------------------------------------------------- tabs

for (const button of document.querySelectorAll("nav button")) {
  button.addEventListener("click", () => {
    for (const other of document.querySelectorAll("nav button")) other.classList.toggle("active", other === button);
    for (const tab of document.querySelectorAll(".tab")) tab.hidden = tab.id !== "tab-" + button.dataset.tab;
  });
}

// ---------------------------------------------------------------- traffic

function channelMatches(filter, channel) {
  if (!filter) return true;
  if (filter.startsWith("n:") || filter.startsWith("s:")) return channel.canonical === filter;
  if (filter.startsWith("\"") && filter.endsWith("\"") && filter.length > 1) {
    return channel.type === "string" && channel.value === filter.slice(1, -1);
  }
  return (channel.type === "number" ? channel.canonical.substring(2) : channel.value) === filter;
}

function trafficMatches(entry) {
  const channelFilter = $("filter-channel").value.trim();
  const text = $("filter-text").value.trim().toLowerCase();
  if (!channelMatches(channelFilter, entry.channel)) return false;
  if (!text) return true;
  const haystack = JSON.stringify([entry.payload, entry.extras, entry.sender, entry.enteredOn]).toLowerCase();
  return haystack.includes(text);
}

function trafficRow(entry) {
  const time = entry.time ? entry.time.substring(11, 23) : "";
  // A message from another cluster node has no sender on this one: name the node it entered on.
  const sender = entry.sender ? entry.sender.address + " (#" + entry.sender.id + ")"
    : entry.enteredOn ? "node " + entry.enteredOn : "console / gateway";
  const extras = Object.keys(entry.extras || {}).length ? JSON.stringify(entry.extras) : "";
  const row = el("tr", { "data-seq": entry.seq },
    td("Time", time, "num"),
    td("Channel", channelNode(entry.channel)),
    td("Sender", sender),
    td("Extra keys", extras, "json"),
    td("Payload", JSON.stringify(entry.payload), "json"));
  row.hidden = !trafficMatches(entry);
  row.entry = entry;
  return row;
}

function addTraffic(entries) {
  const body = $("traffic").tBodies[0];
  // Entries arrive oldest first; the newest goes on top.
  for (const entry of entries) body.prepend(trafficRow(entry));
  while (body.rows.length > MAX_TRAFFIC_ROWS) body.deleteRow(body.rows.length - 1);
}

function onTraffic(event) {
  state.missed += event.missed || 0;
  if (state.paused) {
    state.held.push(...event.entries);
    const over = state.held.length - MAX_PAUSED;
    if (over > 0) { state.held.splice(0, over); state.pausedSkipped += over; }
  } else {
    addTraffic(event.entries);
  }
  trafficNote();
}

function trafficNote(overview) {
  const parts = [];
  if (state.paused) parts.push(state.held.length + " new while paused");
  if (state.pausedSkipped) parts.push(state.pausedSkipped + " not kept while paused");
  if (overview && overview.console.skipped) {
    parts.push("a sample of at most " + overview.console.samplesPerSecond + " msg/s (" + overview.console.skipped
      + " not shown)");
  }
  $("traffic-note").textContent = parts.join(" · ");
}

function refilter() {
  for (const row of $("traffic").tBodies[0].rows) row.hidden = !trafficMatches(row.entry);
}

$("filter-channel").addEventListener("input", refilter);
$("filter-text").addEventListener("input", refilter);
$("pause").addEventListener("click", () => {
  state.paused = !state.paused;
  $("pause").textContent = state.paused ? "Resume" : "Pause";
  if (!state.paused) {
    addTraffic(state.held);
    state.held = [];
  }
  trafficNote();
});

// ---------------------------------------------------------------- clients, channels, bridges

function renderClients(clients) {
  const body = $("clients").tBodies[0];
  body.replaceChildren(...clients.map((client) => {
    const channels = el("span", {});
    client.channels.forEach((channel, i) => { if (i) channels.append(", "); channels.append(channelNode(channel)); });
    const action = client.protocol === "route" ? "" : el("button", { type: "button", class: "disconnect" }, "Disconnect");
    if (action) action.addEventListener("click", () => disconnect(client.id, action));
    return el("tr", { "data-id": client.id, "data-protocol": client.protocol },
      td("Id", client.id, "num"),
      td("Protocol", client.protocol === "route" ? "in-process route" : client.protocol),
      td("Address", client.address),
      td("Connected since", new Date(client.connectedSince).toLocaleString()),
      td("Channels", channels),
      td("In", client.messagesIn, "num"),
      td("Out", client.messagesOut, "num"),
      td("Queue", client.queueDepth, "num"),
      td("Drops", client.dropped, "num"),
      td("", action));
  }));
}

function renderChannels(channels) {
  $("channels").tBodies[0].replaceChildren(...channels.map((channel) =>
    el("tr", { "data-channel": channel.canonical },
      td("Channel", channelNode(channel)),
      td("Subscribers", channel.subscribers, "num"),
      td("msg/s", channel.messagesPerSecond, "num"),
      td("Messages", channel.messages, "num"))));
}

function sparkline(values) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 60 24");
  svg.setAttribute("preserveAspectRatio", "none");
  const max = Math.max(1, ...values);
  const points = values.map((v, i) => (i + 60 - values.length) + "," + (23 - (v / max) * 22).toFixed(1)).join(" ");
  const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", points);
  svg.append(line);
  const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
  title.textContent = "exchanges a second, last minute (max " + max.toFixed(1) + ")";
  svg.append(title);
  return svg;
}

function renderBridges(bridges) {
  $("bridges").replaceChildren(...bridges.map((bridge) => {
    const counters = el("div", { class: "counters" },
      el("span", {}, "exchanges ", el("b", {}, bridge.exchanges.completed)),
      el("span", {}, "exchanges failed ", el("b", {}, bridge.exchanges.failed)));
    // The bridge's own meters, when metrics are on (docs/metrics.md): messages, not exchanges.
    for (const [name, value] of Object.entries(bridge.meters)) {
      let shown = value;
      if (name === "last_success") shown = value > 0 ? new Date(value * 1000).toLocaleTimeString() : "never";
      if (name === "connected") shown = value ? "yes" : "no";
      counters.append(el("span", { class: "meter" }, name.replace("_", " ") + " ", el("b", {}, shown)));
    }
    const last = bridge.lastError
      ? el("div", { class: "error" }, "last error " + new Date(bridge.lastErrorAt).toLocaleString() + ": " + bridge.lastError)
      : null;
    return el("div", { class: "bridge", "data-route": bridge.route, "data-state": bridge.state },
      el("h2", {}, bridge.route, el("span", { class: "state " + bridge.state }, bridge.state), sparkline(bridge.rate)),
      el("div", { class: "meta" }, bridge.from),
      bridge.reason ? el("div", { class: bridge.state === "down" ? "error reason" : "reason" }, bridge.reason) : null,
      counters, last);
  }));
}

// The cluster tab: this node first, then every other gateway that announces itself (docs/cluster.md).
const NODE_STATES = { self: "this node", up: "up", missing: "missing" };

function renderCluster(cluster) {
  const note = $("cluster-note");
  const table = $("nodes");
  if (cluster.cluster === "off") {
    note.textContent = cluster.join;
    table.hidden = true;
    return;
  }
  table.hidden = false;
  const parts = [cluster.nodes.length + (cluster.nodes.length === 1 ? " node: " : " nodes: ")
    + (cluster.peersUp + 1) + " up"];
  if (cluster.peersMissing) parts.push(cluster.peersMissing + " missing");
  if (cluster.cluster === "DOWN") parts.push("this node cannot reach NATS: the others show as missing meanwhile");
  if (cluster.duplicateNodeIds.length) {
    parts.push("two running gateways use the node id " + cluster.duplicateNodeIds.join(", ")
      + ": give each its own skynet.cluster.node-id");
  }
  if (cluster.unlistedAnnouncements) parts.push(cluster.unlistedAnnouncements + " announcements not listed (table full)");
  if (cluster.undecodableAnnouncements) {
    parts.push(cluster.undecodableAnnouncements + " unreadable announcements ignored");
  }
  note.textContent = parts.join(" · ");
  table.tBodies[0].replaceChildren(...cluster.nodes.map((node) => {
    const state = el("span", { class: "node-state " + node.state }, NODE_STATES[node.state] || node.state);
    const name = el("span", {}, node.id, node.duplicate ? el("span", { class: "duplicate", title: "another running"
      + " gateway announces this node id (run " + node.instance + " here)" }, " duplicate id") : null);
    const routes = !node.routes ? "" : node.routes.total === 0 ? "none"
      : node.routes.started + " of " + node.routes.total + " started";
    return el("tr", { "data-node": node.id, "data-state": node.state, "data-instance": node.instance },
      td("Node", name),
      td("State", state),
      td("Clients", (node.clients.v1 + node.clients.v2) + " (v1 " + node.clients.v1 + ", v2 " + node.clients.v2
        + ")", "num"),
      td("Channels", node.channels, "num"),
      td("To cluster", node.sent + (node.dropped ? " (" + node.dropped + " dropped)" : ""), "num"),
      td("From cluster", node.received, "num"),
      td("Routes", routes),
      td("Last seen", node.lastSeen ? new Date(node.lastSeen).toLocaleTimeString() : "now"),
      td("NATS", node.nats || "not connected"),
      td("Version", node.version));
  }));
}

function renderNode(node) {
  $("node-id").textContent = node.id;
  const cluster = $("cluster");
  cluster.className = "cluster " + node.cluster.toLowerCase();
  cluster.textContent = node.cluster === "off" ? "" : "cluster " + node.cluster
    + " · " + node.sent + " sent · " + node.received + " received" + (node.dropped ? " · " + node.dropped + " dropped" : "");
  cluster.title = node.cluster === "off" ? "" : "NATS " + (node.nats || "unreachable");
}

function onState(snapshot) {
  const overview = snapshot.overview;
  renderNode(overview.node);
  $("rate").textContent = overview.messagesPerSecond;
  $("client-count").textContent = snapshot.clients.filter((c) => c.protocol !== "route").length;
  $("channel-count").textContent = overview.channelsOpen;
  $("dropped").textContent = overview.deliveriesDropped;
  renderClients(snapshot.clients);
  renderChannels(snapshot.channels);
  renderBridges(snapshot.bridges);
  if (snapshot.cluster) {
    renderCluster(snapshot.cluster);
    // The header says how many gateways this one hears of, so a page behind a balancer shows the whole cluster.
    if (snapshot.cluster.nodes) $("cluster").textContent += " · " + snapshot.cluster.nodes.length + " nodes";
  }
  trafficNote(overview);
}

// ---------------------------------------------------------------- actions

async function api(path, options) {
  const response = await fetch(path, Object.assign({ credentials: "same-origin" }, options));
  const body = await response.json().catch(() => ({ error: "HTTP " + response.status }));
  if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
  return body;
}

async function disconnect(id, button) {
  button.disabled = true;
  try {
    await api("/api/clients/" + id + "/disconnect", { method: "POST" });
  } catch (error) {
    showProblem("Disconnect " + id + ": " + error.message);
    button.disabled = false;
  }
}

$("send-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = $("send-result");
  const kind = document.querySelector("input[name=kind]:checked").value;
  const raw = $("send-channel").value.trim();
  let channel = raw;
  if (kind === "number") {
    if (!/^-?\d+$/.test(raw)) { result.textContent = "A numeric channel is a whole number, like 42"; return; }
    channel = null; // sent as a JSON number written from the text itself, so 64-bit values stay exact
  }
  let payload;
  try {
    payload = JSON.parse($("send-payload").value);
  } catch (error) {
    result.textContent = "The payload is not JSON: " + error.message;
    return;
  }
  const body = channel === null
    ? '{"channel":' + raw + ',"payload":' + JSON.stringify(payload) + "}"
    : JSON.stringify({ channel: channel, payload: payload });
  try {
    const sent = await api("/api/send", { method: "POST", headers: { "Content-Type": "application/json" }, body: body });
    result.textContent = "sent to " + channelText(sent.channel) + " (" + sent.id + ")";
  } catch (error) {
    result.textContent = error.message;
  }
});

// ---------------------------------------------------------------- the live stream

function connect() {
  const events = new EventSource("/api/events");
  events.addEventListener("open", () => {
    $("link").textContent = "live";
    $("link").className = "link up";
    showProblem("");
  });
  events.addEventListener("state", (event) => onState(JSON.parse(event.data)));
  events.addEventListener("traffic", (event) => onTraffic(JSON.parse(event.data)));
  events.addEventListener("error", async () => {
    $("link").textContent = "reconnecting…";
    $("link").className = "link down";
    // EventSource does not say why: ask the API, which answers 401 with the reason when the token is wrong.
    try {
      await api("/api/overview");
    } catch (error) {
      showProblem(error.message + (error.message.includes("token") ? " Reload the page to enter it." : ""));
      if (error.message.includes("token")) events.close();
    }
  });
}

connect();
