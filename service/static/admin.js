// Yakuba administrators' console. Plain JavaScript, nothing fetched from elsewhere; the
// Content-Security-Policy forbids inline code, so every handler is attached here.
// Record contents are always set as text (textContent), never parsed as markup: a prompt
// or an answer may contain anything a user typed or a model wrote.
(() => {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const TOKEN_KEY = "yakuba-admin-token";

  const CHANNELS = {
    web: "ウェブ画面",
    api: "API",
    slack: "Slack",
    teams: "Teams",
    lineworks: "LINE WORKS",
    webhook: "Webhook",
    batch: "一括処理",
    cli: "コマンド",
  };
  const STATUSES = { allowed: "通過", masked: "マスク", blocked: "遮断", failed: "失敗" };
  const TASKS = {
    ask: "質問",
    chat: "チャット",
    draft: "文書作成",
    summarize: "要約",
    translate: "翻訳",
    proofread: "校正",
    faq: "FAQ回答案",
    auth: "認証失敗",
    kb_add: "資料の追加",
    kb_replace: "資料の差し替え",
    kb_remove: "資料の削除",
  };
  const RATINGS = { up: "👍 役に立った", down: "👎 役に立たなかった" };

  // Filled from the statistics (the guard's own Japanese labels).
  let entityLabels = {};
  let permissions = new Set();
  // Cursors of the pages seen so far: [null (newest), cursor of page 2, …].
  let cursors = [null];
  let page = 0;
  let filter = new URLSearchParams();

  // -- small helpers -----------------------------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "className") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const label = (map, key) => map[key] || key || "（なし）";
  const entityLabel = (type) => entityLabels[type] || type;
  const number = (n) => Number(n || 0).toLocaleString("ja-JP");

  function jst(iso) {
    // The server sends JST already (…+09:00): show it as written, without the browser's zone.
    return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : "";
  }

  function findingsText(findings) {
    const parts = Object.entries(findings || {}).map(([type, n]) => `${entityLabel(type)}×${n}`);
    return parts.join("、");
  }

  function setStatus(node, text, problem) {
    node.textContent = text;
    node.classList.toggle("problem", Boolean(problem));
  }

  // -- talking to the server ---------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function authHeaders() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  async function api(path, params, init) {
    const query = params && params.toString() ? `?${params}` : "";
    let response;
    try {
      response = await fetch(path + query, {
        ...(init || {}),
        // The header marks the console's requests as the web channel in the audit log.
        headers: { ...authHeaders(), "X-Yakuba-Client": "web" },
        credentials: "same-origin",
      });
    } catch {
      throw new ApiError(0, "サーバーに接続できませんでした。");
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (response.ok) return body;
    const detail = body && body.detail;
    const message =
      (detail && typeof detail.message === "string" && detail.message) ||
      `要求が失敗しました（HTTP ${response.status}）。`;
    if (response.status === 401) $("login").hidden = false;
    throw new ApiError(response.status, message);
  }

  // -- who is here -------------------------------------------------------------------------

  async function loadMe() {
    const me = await api("/v1/me");
    permissions = new Set(me.permissions);
    $("who").textContent = `ログイン中：${me.user}${me.department ? `（${me.department}）` : ""}・役割 ${me.role}`;
    if (!permissions.has("audit:read")) {
      const denied = $("denied");
      denied.hidden = false;
      denied.textContent =
        "この画面は監査担当者・管理者用です。自分の利用履歴は職員用ページから確認できます。";
    }
    $("exports").hidden = !permissions.has("audit:export");
  }

  // -- records -----------------------------------------------------------------------------

  function readFilter() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData($("filters"))) {
      const text = String(value).trim();
      if (text) params.set(key, text); // empty = no condition (the API refuses "")
    }
    return params;
  }

  function updateExportLinks() {
    for (const format of ["csv", "jsonl"]) {
      const params = new URLSearchParams(filter);
      params.set("format", format);
      $(`export-${format}`).href = `/v1/admin/audit/export?${params}`;
    }
  }

  async function loadRecords() {
    const status = $("records-status");
    setStatus(status, "読み込んでいます…");
    const params = new URLSearchParams(filter);
    params.set("limit", "20");
    if (cursors[page]) params.set("cursor", cursors[page]);
    let data;
    try {
      data = await api("/v1/admin/audit/records", params);
    } catch (error) {
      setStatus(status, error.message, true);
      $("records-body").replaceChildren();
      return;
    }
    cursors = cursors.slice(0, page + 1);
    if (data.next_cursor) cursors.push(data.next_cursor);
    renderRecords(data.records);
    $("prev-page").disabled = page === 0;
    $("next-page").disabled = !data.next_cursor;
    $("page-info").textContent = `${page + 1} ページ目`;
    setStatus(status, data.records.length ? `${data.records.length} 件を表示しています（新しい順）。` : "条件に合う記録はありません。");
  }

  function renderRecords(records) {
    const rows = records.map((r) => {
      const open = el("button", { type: "button", className: "secondary small", "data-id": String(r.id) }, "開く");
      open.setAttribute("aria-label", `記録 ${r.id} の詳細を開く`);
      return el(
        "tr",
        { "data-id": String(r.id), className: `status-${r.status}` },
        el("td", { className: "nowrap" }, jst(r.created_at)),
        el("td", {}, r.user),
        el("td", {}, r.department || "—"),
        el("td", {}, label(CHANNELS, r.channel)),
        el("td", {}, label(TASKS, r.task)),
        el("td", {}, el("span", { className: `badge ${r.status}` }, label(STATUSES, r.status))),
        el("td", { className: "findings" }, findingsText(r.findings)),
        el("td", {}, open),
      );
    });
    $("records-body").replaceChildren(...rows);
  }

  // -- one record --------------------------------------------------------------------------

  function field(list, name, value) {
    list.append(el("dt", {}, name), el("dd", {}, value === "" || value === null || value === undefined ? "—" : String(value)));
  }

  async function openRecord(id) {
    const panel = $("detail");
    let r;
    try {
      r = await api(`/v1/admin/audit/records/${encodeURIComponent(id)}`);
    } catch (error) {
      setStatus($("records-status"), error.message, true);
      return;
    }
    for (const row of $("records-body").querySelectorAll("tr")) {
      row.classList.toggle("selected", row.dataset.id === String(r.id));
    }
    $("detail-title").textContent = `記録 #${r.id} の詳細`;
    const fields = $("detail-fields");
    fields.replaceChildren();
    field(fields, "日時（日本時間）", jst(r.created_at));
    field(fields, "利用者", r.user);
    field(fields, "所属", r.department);
    field(fields, "役割", r.role);
    field(fields, "経路", label(CHANNELS, r.channel));
    field(fields, "業務種別", label(TASKS, r.task));
    field(fields, "業務内容（申告）", r.purpose);
    field(fields, "結果", label(STATUSES, r.status) + (r.error_code ? `（${r.error_code}）` : ""));
    field(fields, "検出した個人情報", findingsText(r.findings) || "なし");
    field(fields, "プロンプト", r.prompt_ref);
    field(fields, "モデル", r.model ? `${r.model}${r.mode ? `（${r.mode}）` : ""}` : r.mode);
    field(fields, "トークン（入力／出力）", `${number(r.tokens_in)} ／ ${number(r.tokens_out)}`);
    field(fields, "処理時間", `${number(r.latency_ms)} ミリ秒`);
    field(fields, "リクエストID", r.request_id);
    $("detail-prompt").textContent = r.prompt || "（なし）";
    $("detail-answer").textContent = r.answer || "（回答なし）";
    const sources = r.sources.map((s) => el("li", {}, s));
    $("detail-sources").replaceChildren(...(sources.length ? sources : [el("li", {}, "なし")]));
    const feedback = r.feedback.map((f) =>
      el(
        "li",
        {},
        el("span", { className: "meta" }, `${jst(f.created_at)} ${f.user} `),
        label(RATINGS, f.rating),
        f.comment ? el("span", { className: "comment" }, `「${f.comment}」`) : null,
      ),
    );
    $("detail-feedback").replaceChildren(...(feedback.length ? feedback : [el("li", {}, "なし")]));
    const hashes = $("detail-hashes");
    hashes.replaceChildren();
    field(hashes, "直前の記録のハッシュ", r.prev_hash);
    field(hashes, "この記録のハッシュ", r.record_hash);
    panel.hidden = false;
    panel.focus();
    panel.scrollIntoView({ block: "start" });
  }

  // -- statistics and charts ---------------------------------------------------------------

  function hbarChart(container, entries, title, labelOf) {
    if (!entries.length) {
      container.replaceChildren(el("p", { className: "empty" }, "データがありません。"));
      return;
    }
    const shown = entries.slice(0, 12);
    const rowH = 26;
    // Drawn at the box's own width, so that the text keeps its size (an SVG scaled to fit
    // would shrink its labels with it).
    const width = Math.max(280, Math.round(container.clientWidth || 460));
    const labelW = Math.min(150, Math.round(width * 0.35));
    const barMax = width - labelW - 60;
    const max = Math.max(...shown.map(([, n]) => n), 1);
    const chart = svg("svg", {
      viewBox: `0 0 ${width} ${shown.length * rowH + 8}`,
      role: "img",
      "aria-label": `${title}：${shown.map(([k, n]) => `${labelOf(k)} ${n}件`).join("、")}`,
      class: "hbar",
    });
    shown.forEach(([key, n], i) => {
      const y = i * rowH + 4;
      const w = Math.max(2, Math.round((n / max) * barMax));
      chart.append(
        svg("text", { x: labelW - 8, y: y + 16, "text-anchor": "end", class: "axis" }, labelOf(key)),
        svg("rect", { x: labelW, y: y + 3, width: w, height: rowH - 8, rx: 2, class: "bar" }),
        svg("text", { x: labelW + w + 6, y: y + 16, class: "value" }, number(n)),
      );
    });
    const rest = entries.length - shown.length;
    container.replaceChildren(chart);
    if (rest > 0) container.append(el("p", { className: "hint" }, `ほか ${rest} 件の項目`));
  }

  function dayRange(byDay) {
    // Every day from the first to the last, so that days without use show as gaps.
    const keys = Object.keys(byDay).sort();
    if (!keys.length) return [];
    const days = [];
    const start = new Date(`${keys[0]}T00:00:00Z`);
    const end = new Date(`${keys[keys.length - 1]}T00:00:00Z`);
    for (let d = start; d <= end && days.length < 366; d = new Date(d.getTime() + 86400000)) {
      const key = d.toISOString().slice(0, 10);
      days.push([key, byDay[key] || 0]);
    }
    return days;
  }

  function dayChart(container, byDay) {
    const days = dayRange(byDay);
    if (!days.length) {
      container.replaceChildren(el("p", { className: "empty" }, "データがありません。"));
      return;
    }
    const width = Math.max(480, Math.round(container.clientWidth || 940));
    const height = 200;
    const left = 44;
    const bottom = 28;
    const top = 14;
    const plotW = width - left - 8;
    const plotH = height - top - bottom;
    const max = Math.max(...days.map(([, n]) => n), 1);
    const slot = plotW / days.length;
    const barW = Math.max(2, Math.min(40, slot * 0.7));
    const total = days.reduce((sum, [, n]) => sum + n, 0);
    const chart = svg("svg", {
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-label": `日別の件数：${days[0][0]}〜${days[days.length - 1][0]}、合計 ${total} 件、最多 ${max} 件`,
      class: "vbar",
    });
    for (const tick of new Set([0, Math.round(max / 2), max])) {
      const y = top + plotH - (tick / max) * plotH;
      chart.append(
        svg("line", { x1: left, x2: width - 8, y1: y, y2: y, class: "grid" }),
        svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "axis" }, number(tick)),
      );
    }
    const every = Math.ceil(days.length / 12);
    days.forEach(([day, n], i) => {
      const x = left + i * slot + (slot - barW) / 2;
      const h = (n / max) * plotH;
      const bar = svg("rect", { x, y: top + plotH - h, width: barW, height: Math.max(h, n ? 1 : 0), class: "bar" });
      bar.append(svg("title", {}, `${day}：${n} 件`));
      chart.append(bar);
      if (i % every === 0) {
        chart.append(
          svg("text", { x: x + barW / 2, y: height - 8, "text-anchor": "middle", class: "axis" }, `${day.slice(5, 7)}/${day.slice(8, 10)}`),
        );
      }
    });
    container.replaceChildren(chart);
  }

  function sortedEntries(map) {
    return Object.entries(map || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "ja"));
  }

  async function loadStats() {
    let stats;
    try {
      stats = await api("/v1/admin/audit/stats", filter);
    } catch (error) {
      $("totals").replaceChildren(el("li", { className: "problem" }, error.message));
      return;
    }
    entityLabels = stats.entity_labels || {};
    const s = stats.by_status;
    $("totals").replaceChildren(
      ...[
        ["合計", stats.total, "total"],
        ["通過", s.allowed, "allowed"],
        ["マスク", s.masked, "masked"],
        ["遮断", s.blocked, "blocked"],
        ["失敗", s.failed, "failed"],
      ].map(([name, n, kind]) => el("li", { className: `total ${kind}` }, el("span", { className: "name" }, name), el("strong", {}, `${number(n)} 件`))),
    );
    $("records-count").textContent = `（${number(stats.total)} 件）`;
    dayChart($("chart-day"), stats.by_day);
    hbarChart($("chart-department"), sortedEntries(stats.by_department), "所属別の件数", (k) => k || "（所属なし）");
    hbarChart($("chart-task"), sortedEntries(stats.by_task), "業務種別の件数", (k) => label(TASKS, k));
    hbarChart($("chart-channel"), sortedEntries(stats.by_channel), "経路別の件数", (k) => label(CHANNELS, k));
    const blocked = (stats.findings && stats.findings.blocked) || {};
    const masked = (stats.findings && stats.findings.masked) || {};
    hbarChart($("chart-findings"), sortedEntries(blocked), "遮断の原因", entityLabel);
    const types = [...new Set([...Object.keys(blocked), ...Object.keys(masked)])].sort(
      (a, b) => (blocked[b] || 0) - (blocked[a] || 0) || (masked[b] || 0) - (masked[a] || 0) || a.localeCompare(b),
    );
    const rows = types.map((t) =>
      el("tr", { "data-type": t }, el("th", { scope: "row" }, entityLabel(t)), el("td", { className: "num" }, number(blocked[t])), el("td", { className: "num" }, number(masked[t]))),
    );
    $("findings-body").replaceChildren(
      ...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "3", className: "empty" }, "遮断・マスクした記録はありません。"))]),
    );
  }

  // -- quotas ------------------------------------------------------------------------------

  function usageCell(used, limit, unit) {
    const cell = el("td", { className: "num" });
    const text = limit ? `${number(used)} / ${number(limit)} ${unit}` : `${number(used)} ${unit}（上限なし）`;
    cell.append(el("span", {}, text));
    if (limit) {
      const meter = el("meter", { min: "0", max: String(limit), low: String(limit * 0.7), high: String(limit * 0.9), optimum: "0" });
      meter.value = Math.min(used, limit);
      meter.textContent = `${Math.round((used / limit) * 100)}%`;
      cell.append(meter);
      if (used >= limit) cell.classList.add("over");
    }
    return cell;
  }

  function quotaRows(table, items) {
    const body = table.querySelector("tbody");
    const rows = items.map((s) =>
      el("tr", {}, el("th", { scope: "row" }, s.key), usageCell(s.requests_today, s.requests_per_day, "回"), usageCell(s.tokens_this_month, s.tokens_per_month, "トークン")),
    );
    body.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "3", className: "empty" }, "今日・今月の利用はまだありません。"))]));
  }

  async function loadUsage() {
    const status = $("quota-status");
    if (!permissions.has("usage:read")) {
      setStatus(status, "利用上限の状況を見る権限がありません。", true);
      return;
    }
    let usage;
    try {
      usage = await api("/v1/admin/usage");
    } catch (error) {
      setStatus(status, error.message, true);
      return;
    }
    $("quota-period").textContent = `（依頼数は ${usage.day}、トークン数は ${usage.month.replace("-", "年")}月）`;
    setStatus(status, "認証なしの設定（ローカル利用者）の依頼は数えません。");
    quotaRows($("quota-departments"), usage.departments);
    quotaRows($("quota-users"), usage.users);
  }

  // -- tamper check ------------------------------------------------------------------------

  function renderVerify(result) {
    const status = $("chain-status");
    const breaks = $("chain-breaks");
    status.classList.remove("ok", "broken");
    if (result.ok === null) {
      status.textContent = "まだ検証していません。「今すぐ検証する」を押してください。";
      breaks.replaceChildren();
      return;
    }
    const when = `${jst(result.verified_at)} に ${number(result.checked)} 件を検証（${number(result.duration_ms)} ミリ秒）`;
    if (result.ok) {
      status.textContent = `異常なし：${when}。書き換え・削除・挿入は見つかりませんでした。`;
      status.classList.add("ok");
    } else {
      status.textContent = `改ざんの疑いがあります：${when}。${result.breaks.length} か所でチェーンが切れています。`;
      status.classList.add("broken");
    }
    breaks.replaceChildren(...result.breaks.map((b) => el("li", {}, `記録 ${b.record_id}：${b.reason}`)));
  }

  async function loadVerify(fresh) {
    const button = $("verify");
    if (fresh) {
      button.disabled = true;
      $("chain-status").textContent = "検証しています…";
    }
    try {
      const params = new URLSearchParams(fresh ? {} : { cached: "true" });
      renderVerify(await api("/v1/admin/audit/verify", params));
    } catch (error) {
      setStatus($("chain-status"), error.message, true);
    } finally {
      button.disabled = false;
    }
  }

  // -- public register ---------------------------------------------------------------------

  const REGISTER_PAGE = 20;
  let registerOffset = 0;
  let registerFilter = new URLSearchParams();
  let kindLabels = {};

  function readRegisterFilter() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData($("register-filters"))) {
      const text = String(value).trim();
      if (text) params.set(key, text);
    }
    return params;
  }

  async function loadRegister() {
    const status = $("register-status");
    if (!permissions.has("register:read")) {
      $("register").hidden = true;
      return;
    }
    setStatus(status, "読み込んでいます…");
    const params = new URLSearchParams(registerFilter);
    params.set("limit", String(REGISTER_PAGE));
    params.set("offset", String(registerOffset));
    let data;
    try {
      data = await api("/v1/admin/register", params);
    } catch (error) {
      setStatus(status, error.message, true);
      return;
    }
    kindLabels = data.kind_labels || {};
    $("register-totals").replaceChildren(
      ...Object.entries(data.counts).map(([kind, c]) =>
        el("li", { className: "total" }, el("span", { className: "name" }, label(kindLabels, kind)), el("strong", {}, `${number(c.active)} 件`), c.revoked ? el("span", { className: "meta" }, `（取り消し ${number(c.revoked)}）`) : null),
      ),
    );
    $("register-count").textContent = `（${number(data.total)} 件）`;
    const manage = permissions.has("register:manage");
    const rows = data.entries.map((e) => {
      const state = e.revoked ? `取り消し済み（${e.revoked_by}、${jst(e.revoked_at)}）` : "有効";
      let action = null;
      if (manage) {
        action = el("button", { type: "button", className: "secondary small", "data-entry": String(e.id), "data-action": e.revoked ? "restore" : "revoke" }, e.revoked ? "元に戻す" : "取り消す");
        action.setAttribute("aria-label", `${e.value} を${e.revoked ? "元に戻す" : "取り消す"}`);
      }
      return el(
        "tr",
        { "data-id": String(e.id), className: e.revoked ? "revoked" : "" },
        el("td", { className: "num" }, String(e.id)),
        el("td", {}, label(kindLabels, e.kind)),
        el("td", { className: "value" }, e.value),
        el("td", {}, e.source),
        el("td", {}, e.locator),
        el("td", {}, el("span", { className: `badge ${e.revoked ? "blocked" : "allowed"}` }, state)),
        el("td", {}, action),
      );
    });
    $("register-body").replaceChildren(...rows);
    $("register-prev").disabled = registerOffset === 0;
    $("register-next").disabled = registerOffset + data.entries.length >= data.total;
    const first = data.total ? registerOffset + 1 : 0;
    $("register-page").textContent = `${number(first)}〜${number(registerOffset + data.entries.length)} 件目`;
    setStatus(status, data.total ? "" : "条件に合う項目はありません（公開文書を取り込むと登録されます）。");
  }

  async function changeEntry(button) {
    const id = button.dataset.entry;
    const action = button.dataset.action;
    button.disabled = true;
    try {
      const change = await api(`/v1/admin/register/${encodeURIComponent(id)}/${action}`, null, { method: "POST" });
      const what = `${label(kindLabels, change.kind)}「${change.value}」（${change.entries} か所に掲載）`;
      setStatus($("register-status"), change.revoked ? `${what}を取り消しました。公開情報として扱いません。` : `${what}を元に戻しました。`);
    } catch (error) {
      setStatus($("register-status"), error.message, true);
      button.disabled = false;
      return;
    }
    const message = $("register-status").textContent;
    await loadRegister();
    setStatus($("register-status"), message);
  }

  // -- export with a token -----------------------------------------------------------------

  async function download(event) {
    // Without a pasted token the browser follows the link itself (proxy headers or the
    // local user); with one, the file is fetched with the header and saved from memory.
    if (!sessionStorage.getItem(TOKEN_KEY)) return;
    event.preventDefault();
    const link = event.currentTarget;
    const response = await fetch(link.href, { headers: authHeaders() });
    if (!response.ok) {
      setStatus($("records-status"), `書き出しに失敗しました（HTTP ${response.status}）。`, true);
      return;
    }
    const disposition = response.headers.get("Content-Disposition") || "";
    const match = /filename="([^"]+)"/.exec(disposition);
    const url = URL.createObjectURL(await response.blob());
    const save = el("a", { href: url, download: match ? match[1] : "yakuba-audit" });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // -- knowledge-base documents (documents:manage) -----------------------------------------

  const KB_STAGES = { indexing: "索引に登録しています", removing: "索引から削除しています" };
  let kbDocuments = [];

  function renderDocuments() {
    const wanted = $("kb-filter").value.trim();
    const shown = kbDocuments.filter((d) => !wanted || d.source.includes(wanted));
    $("kb-count").textContent = `（${number(kbDocuments.length)} 件）`;
    $("kb-body").replaceChildren(
      ...shown.map((d) =>
        el(
          "tr",
          {},
          el("td", {}, d.source + (d.complete ? "" : "（更新が途中です。取り込み直してください）")),
          el("td", { className: "num" }, number(d.chunks)),
          el("td", {}, el("button", { type: "button", "data-source": d.source, text: "削除" })),
        ),
      ),
    );
  }

  async function loadDocuments() {
    kbDocuments = await api("/v1/admin/documents");
    renderDocuments();
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function followJob(job) {
    const bar = $("kb-progress");
    bar.hidden = false;
    bar.removeAttribute("value");
    const started = Date.now();
    while (job.status === "queued" || job.status === "running") {
      const seconds = Math.round((Date.now() - started) / 1000);
      const what = job.status === "queued" ? "順番を待っています" : KB_STAGES[job.stage] || "処理しています";
      setStatus($("kb-status"), `「${job.source}」：${what}…（${seconds} 秒）`, false);
      await sleep(500);
      job = await api(`/v1/admin/documents/jobs/${job.id}`);
    }
    bar.hidden = true;
    setStatus($("kb-status"), `「${job.source}」：${job.message}`, job.status === "failed" || job.outcome === "withheld");
    $("kb-status").dataset.outcome = job.outcome;
    return job;
  }

  async function uploadDocument(event) {
    event.preventDefault();
    const button = $("kb-upload");
    const file = $("kb-file").files[0];
    if (!file) return;
    const body = new FormData();
    body.append("file", file);
    const department = $("kb-department").value.trim();
    if (department) body.append("department", department);
    button.disabled = true;
    delete $("kb-status").dataset.outcome;
    try {
      setStatus($("kb-status"), `「${file.name}」を送っています…`, false);
      await followJob(await api("/v1/admin/documents", null, { method: "POST", body }));
      $("kb-form").reset();
      await loadDocuments();
    } catch (error) {
      $("kb-progress").hidden = true;
      setStatus($("kb-status"), error.message, true);
    } finally {
      button.disabled = false;
    }
  }

  async function removeDocument(source) {
    if (!window.confirm(`「${source}」を索引から削除します。よろしいですか。`)) return;
    try {
      const done = await api("/v1/admin/documents", new URLSearchParams({ source }), { method: "DELETE" });
      setStatus($("kb-status"), done.message, false);
      $("kb-status").dataset.outcome = "removed";
    } catch (error) {
      setStatus($("kb-status"), error.message, true);
    }
    await loadDocuments();
  }

  // -- wiring ------------------------------------------------------------------------------

  function search() {
    filter = readFilter();
    cursors = [null];
    page = 0;
    updateExportLinks();
    $("detail").hidden = true;
    return Promise.all([loadRecords(), loadStats()]);
  }

  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  $("filters").addEventListener("reset", () => setTimeout(search, 0));
  $("next-page").addEventListener("click", () => {
    if (page + 1 < cursors.length) {
      page += 1;
      loadRecords();
    }
  });
  $("prev-page").addEventListener("click", () => {
    if (page > 0) {
      page -= 1;
      loadRecords();
    }
  });
  $("records-body").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-id]");
    if (button) openRecord(button.dataset.id);
  });
  $("close-detail").addEventListener("click", () => {
    $("detail").hidden = true;
    for (const row of $("records-body").querySelectorAll("tr.selected")) row.classList.remove("selected");
  });
  $("verify").addEventListener("click", () => loadVerify(true));
  $("register-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    registerFilter = readRegisterFilter();
    registerOffset = 0;
    loadRegister();
  });
  $("register-prev").addEventListener("click", () => {
    registerOffset = Math.max(0, registerOffset - REGISTER_PAGE);
    loadRegister();
  });
  $("register-next").addEventListener("click", () => {
    registerOffset += REGISTER_PAGE;
    loadRegister();
  });
  $("register-body").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-entry]");
    if (button) changeEntry(button);
  });
  $("export-csv").addEventListener("click", download);
  $("export-jsonl").addEventListener("click", download);
  $("kb-form").addEventListener("submit", uploadDocument);
  $("kb-filter").addEventListener("input", renderDocuments);
  $("kb-body").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-source]");
    if (button) removeDocument(button.dataset.source);
  });
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("token").value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $("token").value = "";
    $("login").hidden = true;
    start();
  });

  async function start() {
    try {
      await loadMe();
    } catch (error) {
      $("who").textContent = error.message;
      return;
    }
    if (permissions.has("documents:manage")) {
      $("kb").hidden = false;
      await loadDocuments().catch((error) => setStatus($("kb-status"), error.message, true));
    }
    if (!permissions.has("audit:read")) return;
    // Statistics first: their labels name the entity types in the records table.
    await loadStats();
    filter = readFilter();
    updateExportLinks();
    registerFilter = readRegisterFilter();
    await Promise.all([loadRecords(), loadUsage(), loadVerify(false), loadRegister()]);
    document.body.dataset.ready = "true";
  }

  start();
})();
