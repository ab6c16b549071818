"use strict";
// The FAQ team's page: check a question file, start a job, follow it, review rows.
(() => {
  const HEADERS = { "X-Yakuba-Client": "web" };
  const STATUS_JA = { ok: "回答", blocked: "送信せず", no_source: "資料なし", failed: "失敗", pending: "作成中" };
  const REVIEW_JA = { pending: "未確認", approved: "承認", rejected: "却下" };
  const $ = (id) => document.getElementById(id);
  let current = null;
  let timer = null;

  function el(tag, text, attrs = {}) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  }

  async function api(path, init = {}) {
    const response = await fetch(path, { ...init, headers: { ...HEADERS, ...(init.headers || {}) } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = body.detail || {};
      const error = new Error(detail.message || `エラー（${response.status}）`);
      error.problems = detail.problems || [];
      throw error;
    }
    return body;
  }

  function form() {
    const data = new FormData();
    data.append("file", $("file").files[0]);
    return data;
  }

  function problemText(p) {
    const where = (p.line ? `${p.line}行目` : "") + (p.column ? `「${p.column}」列` : "");
    return where ? `${where}: ${p.message}` : p.message;
  }

  function showProblems(box, problems) {
    const list = el("ul");
    for (const p of problems) list.append(el("li", problemText(p), { class: `problem-${p.severity}` }));
    box.append(list);
  }

  async function check() {
    const box = $("preview");
    box.replaceChildren();
    $("submit").disabled = true;
    try {
      const p = await api("/v1/faq/preview", { method: "POST", body: form() });
      box.append(el("p", `${p.format}（${p.encoding}）: 質問 ${p.rows} 件`, { id: "preview-summary" }));
      const table = el("table", undefined, { id: "preview-rows" });
      for (const r of p.sample) {
        const tr = el("tr");
        tr.append(el("td", String(r.line)), el("td", r.id), el("td", r.question));
        table.append(tr);
      }
      box.append(table);
      showProblems(box, p.problems);
      const ok = !p.problems.some((x) => x.severity === "error");
      $("submit").disabled = !ok;
    } catch (e) {
      box.append(el("p", e.message, { class: "error" }));
      showProblems(box, e.problems);
    }
  }

  async function submit(event) {
    event.preventDefault();
    const data = form();
    data.append("purpose", $("purpose").value);
    try {
      const job = await api("/v1/faq/jobs", { method: "POST", body: data });
      $("submit").disabled = true;
      await loadJobs();
      open(job.id);
    } catch (e) {
      $("preview").replaceChildren(el("p", e.message, { class: "error" }));
    }
  }

  async function loadJobs() {
    const list = $("jobs");
    list.replaceChildren();
    for (const job of await api("/v1/faq/jobs")) {
      const item = el("li");
      const link = el("a", `${job.filename}（${job.done}/${job.total}、${job.status}）`, { href: "#", "data-job": job.id });
      link.addEventListener("click", (e) => { e.preventDefault(); open(job.id); });
      item.append(link);
      list.append(item);
    }
  }

  function open(id) {
    current = id;
    $("job").hidden = false;
    const base = `/v1/faq/jobs/${id}/export`;
    $("export-all").href = `${base}?format=csv`;
    $("export-approved").href = `${base}?format=csv&approved_only=true`;
    $("export-approved-xlsx").href = `${base}?format=xlsx&approved_only=true`;
    clearTimeout(timer);
    refresh();
  }

  async function refresh() {
    if (!current) return;
    const job = await api(`/v1/faq/jobs/${current}`);
    const c = job.counts;
    $("job-status").textContent =
      `状態: ${job.status}　${job.done}/${job.total}　回答 ${c.ok}・送信せず ${c.blocked}・資料なし ${c.no_source}・失敗 ${c.failed}　承認 ${job.reviews.approved}`;
    $("job-status").dataset.status = job.status;
    $("job-progress").max = job.total || 1;
    $("job-progress").value = job.done;
    if (job.status === "queued" || job.status === "running") {
      timer = setTimeout(refresh, 1000);
    } else {
      await loadRows();
      await loadGroups();
    }
  }

  async function loadRows() {
    const body = $("rows").querySelector("tbody");
    body.replaceChildren();
    for (const row of await api(`/v1/faq/jobs/${current}/rows?limit=1000`)) body.append(rowElement(row));
  }

  function rowElement(row) {
    const tr = el("tr", undefined, {
      "data-line": String(row.line),
      class: `review-${row.review}${row.edited ? " edited" : ""}`,
    });
    const answer = el("textarea", undefined, { "aria-label": `${row.line}行目の回答案` });
    answer.value = row.answer;
    answer.disabled = row.status === "blocked";
    const sources = (row.sources || []).map((s) => `[${s.number}] ${s.title} ${s.locator}`).join("\n");
    const tools = el("td");
    const state = (REVIEW_JA[row.review] || row.review) + (row.edited ? "（編集済み）" : "");
    tools.append(el("span", state, { class: "review" }), el("br"));
    const act = (label, cls, fn) => {
      const b = el("button", label, { type: "button", class: cls });
      b.disabled = row.status === "blocked";
      b.addEventListener("click", async () => {
        try { tr.replaceWith(rowElement(await fn())); } catch (e) { window.alert(e.message); }
      });
      tools.append(b);
    };
    const patch = (payload) => api(`/v1/faq/jobs/${current}/rows/${row.line}`, {
      method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
    });
    act("保存", "save", () => patch({ answer: answer.value }));
    act("承認", "approve", () => patch({ answer: answer.value, review: "approved" }));
    act("却下", "reject", () => patch({ review: "rejected" }));
    act("再生成", "regenerate", () => api(`/v1/faq/jobs/${current}/rows/${row.line}/regenerate`, { method: "POST" }));
    const statusCell = el("td", STATUS_JA[row.status] || row.status, { class: `status-${row.status}` });
    const answerCell = el("td");
    answerCell.append(answer);
    tr.append(el("td", String(row.line)), el("td", row.id), el("td", row.question), statusCell, answerCell, el("td", sources), tools);
    return tr;
  }

  async function loadGroups() {
    const box = $("groups");
    box.replaceChildren();
    const groups = await api(`/v1/faq/jobs/${current}/groups`);
    if (!groups.length) return;
    box.append(el("h3", "似た質問（1つの回答を共有できます）"));
    const list = el("ul");
    for (const g of groups) {
      const item = el("li", `行 ${g.lines.join("・")} `);
      const b = el("button", `${g.lines[0]}行目の回答を使う`, { type: "button", class: "share" });
      b.addEventListener("click", async () => {
        try {
          await api(`/v1/faq/jobs/${current}/share`, {
            method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ source: g.lines[0], lines: g.lines }),
          });
          await loadRows();
        } catch (e) { window.alert(e.message); }
      });
      item.append(b);
      list.append(item);
    }
    box.append(list);
  }

  $("check").addEventListener("click", check);
  $("upload").addEventListener("submit", submit);
  $("cancel").addEventListener("click", async () => {
    if (current) { await api(`/v1/faq/jobs/${current}/cancel`, { method: "POST" }); refresh(); }
  });
  loadJobs().catch((e) => $("preview").replaceChildren(el("p", e.message, { class: "error" })));
})();
