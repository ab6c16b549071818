// Yakuba staff page: asks /v1/ask (streamed with Server-Sent Events when the browser can
// read a response body as it arrives) and runs the tasks of /v1/tasks.
//
// Everything the server or the model says is put on the page as text nodes (textContent,
// append): never as HTML, so a model answer cannot inject markup or scripts. The page
// talks to its own origin only; the Content-Security-Policy header enforces that too.
"use strict";

(() => {
  const TASKS = {
    ask: { label: "質問", url: "/v1/ask" },
    draft: { label: "文書作成", url: "/v1/tasks/draft" },
    summarize: { label: "要約", url: "/v1/tasks/summarize" },
    translate: { label: "翻訳", url: "/v1/tasks/translate" },
    proofread: { label: "校正", url: "/v1/tasks/proofread" },
    faq: { label: "FAQ回答案", url: "/v1/tasks/faq" },
  };
  const UPLOAD_URL = "/v1/tasks/summarize/file";
  // The tasks whose policy may send residents' data as placeholders (guardrails/conf/policy.toml).
  const PLACEHOLDER_TASKS = new Set(["draft", "summarize", "translate", "proofread"]);
  const ERROR_TITLES = {
    restricted_purpose: "この業務内容では利用できません",
    llm_not_configured: "生成モデルが設定されていません",
    llm_busy: "生成モデルが混み合っています",
    prompt_too_long: "入力が長すぎます",
    file_too_large: "ファイルが大きすぎます",
    request_too_large: "送信データが大きすぎます",
    unsupported_file_type: "このファイルは使えません",
    empty_prompt: "入力が空です",
    empty_file: "ファイルが空です",
    unreadable_file: "ファイルを読み取れませんでした",
  };
  const SUMMARY_CHARS = 300;
  // Tells the service that a request comes from this page: the audit log's channel "web".
  const CLIENT_HEADER = { "X-Yakuba-Client": "web" };
  const CAN_STREAM =
    typeof ReadableStream !== "undefined" &&
    typeof TextDecoder !== "undefined" &&
    "body" in Response.prototype;

  const $ = (id) => document.getElementById(id);
  const form = $("composer");
  const log = $("log");
  const formStatus = $("form-status");
  const submitButton = $("submit");
  const cancelButton = $("cancel");

  let threadId = null;
  let controller = null;
  let turnCount = 0;

  /** An element with attributes and children; strings become text nodes, never HTML. */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  }

  function shorten(text, limit = SUMMARY_CHARS) {
    const flat = text.trim();
    return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
  }

  // -- the form ----------------------------------------------------------------------------

  class Problem extends Error {
    constructor(field, message) {
      super(message);
      this.field = field;
    }
  }

  function currentTask() {
    return form.querySelector('input[name="task"]:checked').value;
  }

  function summarizeSource() {
    return form.querySelector('input[name="summarize-source"]:checked').value;
  }

  function showPanels() {
    const task = currentTask();
    for (const panel of form.querySelectorAll(".panel")) {
      const active = panel.dataset.task === task;
      panel.hidden = !active;
      panel.disabled = !active;
    }
    const source = summarizeSource();
    for (const part of form.querySelectorAll("[data-source]")) {
      part.hidden = part.dataset.source !== source;
    }
    $("placeholders-option").hidden = !PLACEHOLDER_TASKS.has(task);
    hidePreview();
    clearProblems();
  }

  function required(id, what) {
    const field = $(id);
    const value = field.value.trim();
    if (!value) throw new Problem(field, `${what}を入力してください。`);
    return value;
  }

  function selectedLabel(id) {
    const select = $(id);
    return select.options[select.selectedIndex].textContent;
  }

  /** What to send for the chosen task, and a line that shows it in the log. */
  function buildRequest(task) {
    const purpose = $("purpose").value.trim();
    const json = (body, summary) => ({
      task,
      url: TASKS[task].url,
      body: { ...body, purpose },
      summary,
    });
    switch (task) {
      case "ask": {
        const question = required("ask-question", "質問");
        const body = { question, stream: CAN_STREAM };
        if (threadId) body.thread_id = threadId;
        return { ...json(body, question), stream: CAN_STREAM };
      }
      case "draft": {
        const instructions = required("draft-instructions", "何を書くか");
        const body = {
          kind: $("draft-kind").value,
          tone: $("draft-tone").value,
          length: $("draft-length").value,
          instructions,
        };
        return json(body, `${body.kind}（${body.tone}・${body.length}）：${shorten(instructions)}`);
      }
      case "summarize": {
        const length = $("summarize-length").value;
        const format = $("summarize-format").value;
        if (summarizeSource() === "file") {
          const input = $("summarize-file");
          const file = input.files && input.files[0];
          if (!file) throw new Problem(input, "要約するファイルを選んでください。");
          const data = new FormData();
          data.append("file", file, file.name);
          data.append("length", length);
          data.append("format", format);
          data.append("purpose", purpose);
          return { task, url: UPLOAD_URL, form: data, summary: `ファイル「${file.name}」（${format}・${length}）` };
        }
        const text = required("summarize-text", "本文");
        return json({ text, length, format }, `${format}・${length}：${shorten(text)}`);
      }
      case "translate": {
        const text = required("translate-text", "原文");
        const target = $("translate-target").value;
        return json({ text, target }, `${selectedLabel("translate-target")}へ：${shorten(text)}`);
      }
      case "proofread": {
        const text = required("proofread-text", "校正する文書");
        const instructions = $("proofread-instructions").value.trim();
        return json({ text, instructions }, shorten(text));
      }
      case "faq": {
        const question = required("faq-question", "住民からの質問");
        const instructions = $("faq-instructions").value.trim();
        return json({ question, instructions }, question);
      }
      default:
        throw new Problem(null, "作業を選んでください。");
    }
  }

  function clearProblems() {
    for (const field of form.querySelectorAll('[aria-invalid="true"]')) {
      field.removeAttribute("aria-invalid");
    }
    formStatus.classList.remove("problem");
    formStatus.textContent = "";
  }

  function showProblem(problem) {
    formStatus.textContent = problem.message;
    formStatus.classList.add("problem");
    if (problem.field) {
      problem.field.setAttribute("aria-invalid", "true");
      problem.field.focus();
    }
  }

  function setBusy(busy) {
    submitButton.disabled = busy;
    cancelButton.hidden = !busy;
    if (busy) {
      formStatus.classList.remove("problem");
      formStatus.textContent = "送信しています…";
    } else if (!formStatus.classList.contains("problem")) {
      formStatus.textContent = "";
    }
  }

  // -- the log -----------------------------------------------------------------------------

  function addTurn(task, summary) {
    turnCount += 1;
    const id = `t${turnCount}`;
    const answer = el("div", { className: "answer" }, el("p", { className: "pending" }, "回答を待っています…"));
    const article = el(
      "article",
      { className: "turn", id, "aria-labelledby": `${id}-h`, "aria-busy": "true", "data-task": task },
      el("h3", { id: `${id}-h` }, `${turnCount}. ${TASKS[task].label}`),
      el("p", { className: "request" }, el("span", { className: "visually-hidden" }, "依頼："), summary),
      answer,
    );
    const empty = $("empty");
    if (empty) empty.remove();
    log.append(article);
    article.scrollIntoView({ block: "nearest" });
    return { id, article, answer };
  }

  function finishTurn(turn) {
    turn.article.setAttribute("aria-busy", "false");
  }

  /** Paragraphs of `text`; [n] becomes a link to citation n; notices (※) stand out. */
  function renderText(text, turnId, numbers) {
    const wrap = el("div", { className: "text" });
    for (const paragraph of text.split(/\n{2,}/)) {
      if (!paragraph.trim()) continue;
      const p = el("p", { className: paragraph.trimStart().startsWith("※") ? "notice" : null });
      const pattern = /\[(\d{1,3})\]/g;
      let last = 0;
      for (let match = pattern.exec(paragraph); match; match = pattern.exec(paragraph)) {
        const n = Number(match[1]);
        if (!numbers.has(n)) continue;
        p.append(paragraph.slice(last, match.index));
        p.append(el("a", { className: "ref", href: `#${turnId}-c${n}`, "aria-label": `出典${n}` }, `[${n}]`));
        last = match.index + match[0].length;
      }
      p.append(paragraph.slice(last));
      wrap.append(p);
    }
    return wrap;
  }

  function renderCitations(citations, turnId) {
    const list = el("ol");
    for (const c of citations) {
      const caption = c.heading ? `（${c.heading}）` : "";
      const item = el(
        "li",
        { id: `${turnId}-c${c.number}` },
        el("span", { className: "label" }, `[${c.number}] ${c.title} ${c.locator}${caption}`),
        el("span", { className: "source" }, `資料：${c.source}`),
      );
      if (c.excerpt) {
        item.append(el("details", {}, el("summary", {}, "抜粋を表示"), el("blockquote", {}, c.excerpt)));
      }
      list.append(item);
    }
    return el("section", { className: "citations", "aria-label": "出典" }, el("h4", {}, "出典"), list);
  }

  function modeBadge(mode) {
    if (mode === "generated") {
      return el(
        "span",
        { className: "badge generated", title: "生成モデルが作成した文章です" },
        el("span", { className: "visually-hidden" }, "回答方式："),
        "生成",
      );
    }
    if (mode === "extractive") {
      return el(
        "span",
        { className: "badge extractive", title: "生成モデルを使わず、資料の該当箇所を引用しています" },
        el("span", { className: "visually-hidden" }, "回答方式："),
        "抽出",
      );
    }
    return null;
  }

  function renderAnswer(turn, data) {
    const box = turn.answer;
    box.replaceChildren();
    if (data.status === "blocked") {
      // The explanation alone: nothing was sent to the model, so there is nothing else.
      // The request is not repeated either: it stays in the input field to be rewritten.
      turn.article
        .querySelector(".request")
        .replaceChildren("（個人情報などが含まれていたため、依頼の内容はここに表示しません。入力欄で書き直してください。）");
      box.append(
        el(
          "div",
          { className: "blocked" },
          el("h4", {}, "⚠ 送信を止めました"),
          el("p", {}, data.text),
        ),
      );
      return;
    }
    if (data.status === "failed") {
      // A stream whose model failed part-way: what was said, then the reason.
      renderProblem(turn, "回答の途中で生成モデルが止まりました", data.text || "");
      return;
    }
    const meta = el("p", { className: "meta" }, modeBadge(data.mode));
    if (data.status === "no_results") meta.append(el("span", {}, "該当資料なし"));
    if (data.audit_id) meta.append(el("span", {}, `監査番号 ${data.audit_id}`));
    if (data.prompt_ref) meta.append(el("span", {}, `テンプレート ${data.prompt_ref}`));
    if (data.model) meta.append(el("span", {}, `モデル ${data.model}`));
    box.append(meta);
    if (data.notices && data.notices.length) {
      box.append(el("ul", { className: "notices", "aria-label": "お知らせ" }, ...data.notices.map((n) => el("li", {}, n))));
    }
    const citations = data.citations || [];
    box.append(renderText(data.text || "", turn.id, new Set(citations.map((c) => c.number))));
    if (citations.length) box.append(renderCitations(citations, turn.id));
    box.append(renderTools(turn, data));
  }

  function failureMessage(status, data) {
    const detail = data && data.detail;
    if (detail && typeof detail === "object" && !Array.isArray(detail)) {
      return { code: detail.code || "", message: detail.message || "", auditId: detail.audit_id };
    }
    if (Array.isArray(detail)) {
      const fields = detail.map((e) => (e.loc || []).slice(-1)[0]).filter(Boolean).join("、");
      return { code: "invalid_input", message: `入力内容を確認してください（${fields || "不明な項目"}）。` };
    }
    return { code: "", message: `サーバーがエラーを返しました（HTTP ${status}）。` };
  }

  function renderFailure(turn, status, data) {
    const { code, message, auditId } = failureMessage(status, data);
    turn.answer.replaceChildren(
      el(
        "div",
        { className: "error" },
        el("h4", {}, ERROR_TITLES[code] || "依頼を処理できませんでした"),
        el("p", {}, message),
        auditId ? el("p", { className: "hint" }, `監査番号 ${auditId}`) : null,
      ),
    );
  }

  function renderProblem(turn, title, message) {
    turn.answer.replaceChildren(el("div", { className: "error" }, el("h4", {}, title), el("p", {}, message)));
  }

  function renderTools(turn, data) {
    const tools = el("div", { className: "tools" });
    const status = el("p", { className: "feedback-status", role: "status" });
    if (navigator.clipboard && data.text) {
      const copy = el("button", { type: "button" }, "コピー");
      copy.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(data.text);
          status.textContent = "回答をコピーしました。";
        } catch {
          status.textContent = "コピーできませんでした。";
        }
      });
      tools.append(copy);
    }
    if (data.audit_id) {
      const commentId = `${turn.id}-comment`;
      const comment = el("input", { type: "text", id: commentId, maxlength: 2000, placeholder: "コメント（任意）" });
      const up = el("button", { type: "button", "aria-pressed": "false", "data-rating": "up" }, "👍 役に立った");
      const down = el("button", { type: "button", "aria-pressed": "false", "data-rating": "down" }, "👎 役に立たなかった");
      for (const button of [up, down]) {
        button.addEventListener("click", () =>
          sendFeedback(data.audit_id, button.dataset.rating, comment, [up, down], status),
        );
      }
      tools.append(
        el(
          "div",
          { className: "rating", role: "group", "aria-label": "この回答の評価" },
          el("label", { className: "visually-hidden", for: commentId }, "この回答へのコメント（任意）"),
          comment,
          up,
          down,
        ),
      );
    }
    tools.append(status);
    return tools;
  }

  async function sendFeedback(auditId, rating, comment, buttons, status) {
    for (const button of buttons) button.disabled = true;
    status.textContent = "評価を送信しています…";
    try {
      const response = await fetch("/v1/feedback", {
        method: "POST",
        headers: { ...CLIENT_HEADER, "Content-Type": "application/json" },
        body: JSON.stringify({ audit_id: auditId, rating, comment: comment.value.trim() }),
      });
      const data = await readJson(response);
      if (!response.ok) {
        status.textContent = failureMessage(response.status, data).message || "評価を記録できませんでした。";
        return;
      }
      for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.rating === rating));
      status.textContent = `評価（${rating === "up" ? "👍" : "👎"}）を記録しました。ありがとうございます。`;
      if (data.notices && data.notices.length) status.append(el("span", { className: "notice" }, ` ${data.notices.join(" ")}`));
      comment.value = "";
    } catch {
      status.textContent = "通信できませんでした。評価は記録されていません。";
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  }

  // -- talking to the server ---------------------------------------------------------------

  async function readJson(response) {
    try {
      return await response.json();
    } catch {
      return null;
    }
  }

  function parseEvent(block) {
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) name = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (!data.length) return null;
    try {
      return { name, data: JSON.parse(data.join("\n")) };
    } catch {
      return null;
    }
  }

  function post(request, signal) {
    const init = { method: "POST", signal, credentials: "same-origin", headers: { ...CLIENT_HEADER } };
    if (request.form) {
      init.body = request.form; // the browser writes the multipart boundary
    } else {
      init.headers["Content-Type"] = "application/json";
      if (request.stream) init.headers.Accept = "text/event-stream";
      init.body = JSON.stringify(request.body);
    }
    return fetch(request.url, init);
  }

  async function run(request, turn, signal) {
    const response = await post(request, signal);
    const type = response.headers.get("content-type") || "";
    if (response.ok && request.stream && type.startsWith("text/event-stream") && response.body) {
      return readStream(response, turn);
    }
    const data = await readJson(response);
    if (!response.ok || !data) {
      renderFailure(turn, response.status, data);
      return null;
    }
    renderAnswer(turn, data);
    return data;
  }

  // -- placeholders: preview, confirm, send (docs/placeholders.md) --------------------------

  let pendingRequest = null;

  function wantsPlaceholders(request) {
    return $("use-placeholders").checked && PLACEHOLDER_TASKS.has(request.task);
  }

  /** The request as confirmed: the same body or form, with placeholders asked for. */
  function withPlaceholders(request) {
    if (!request.form) return { ...request, body: { ...request.body, placeholders: true } };
    const form = new FormData();
    for (const [key, value] of request.form.entries()) form.append(key, value);
    form.append("placeholders", "true");
    return { ...request, form };
  }

  /** The preview of a request: JSON for typed text; for a file, the same multipart form
   * (the server reads the file's text with the upload's own loaders and returns it). */
  function fetchPreview(request) {
    const init = { method: "POST", credentials: "same-origin", headers: { ...CLIENT_HEADER } };
    if (request.form) {
      init.body = request.form;
    } else {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(request.body);
    }
    return fetch(`${request.url}/preview`, init);
  }

  function hidePreview() {
    pendingRequest = null;
    $("placeholder-preview").hidden = true;
    $("preview-body").replaceChildren();
  }

  /** The field's text with each span found marked: the value and, after it, what is sent. */
  function highlighted(text, items) {
    const box = el("div", { className: "preview-text" });
    let at = 0;
    for (const item of items) {
      if (item.start < at) continue;
      box.append(text.slice(at, item.start));
      const value = text.slice(item.start, item.end);
      if (item.action === "placeholder") {
        box.append(el("mark", { className: "ph", title: `${item.label} → ${item.placeholder}` }, value, el("span", { className: "ph-token" }, `→${item.placeholder}`)));
      } else if (item.action === "block") {
        box.append(el("mark", { className: "ph ph-block", title: `${item.label}：送信できません` }, value, el("span", { className: "ph-token" }, "✖送信不可")));
      } else if (item.action === "mask") {
        box.append(el("mark", { className: "ph", title: item.label }, value, el("span", { className: "ph-token" }, `→<${item.label}>`)));
      } else {
        box.append(el("mark", { className: "ph ph-kept", title: `${item.label}（公開情報としてそのまま送信）` }, value));
      }
      at = item.end;
    }
    box.append(text.slice(at));
    return box;
  }

  async function showPreview(request) {
    formStatus.textContent = "置き換える箇所を確認しています…";
    const response = await fetchPreview(request);
    const data = await readJson(response);
    if (!response.ok || !data) {
      showProblem(new Problem(null, failureMessage(response.status, data).message));
      return;
    }
    formStatus.textContent = "";
    const body = $("preview-body");
    body.replaceChildren(el("p", { className: "preview-summary" }, data.message));
    for (const field of data.fields) {
      // A file's text comes from the server (data.document); typed text is the page's own.
      const text = request.form ? data.document || "" : request.body[field.name] || "";
      body.append(el("h4", {}, field.label), highlighted(text, field.preview.items));
    }
    const blocked = data.action === "block";
    const confirm = $("preview-confirm");
    confirm.hidden = blocked;
    if (blocked) body.append(el("p", { className: "blocked" }, "このままでは送信できません。該当箇所を削除してから、もう一度確認してください。"));
    pendingRequest = blocked ? null : withPlaceholders(request);
    $("placeholder-preview").hidden = false;
    (blocked ? $("preview-cancel") : confirm).focus();
  }

  function renderReplaced(turn, data) {
    const summary = data.placeholders;
    if (!summary || !summary.replaced.length) return;
    const items = summary.replaced.map((r) => `${r.placeholder}（${r.label}・${r.count}か所）`).join("、");
    turn.answer.append(
      el("p", { className: "replaced" }, `生成AIには ${items} として送り、この回答ではあなたにだけ元の値に戻して表示しています。記録には仮名のまま残ります。`),
    );
  }

  /** `event: delta` pieces are shown as they come; `event: done` replaces them with the
   * finished answer (citations, notices, audit number). */
  async function readStream(response, turn) {
    const live = el("div", { className: "streaming" });
    turn.answer.replaceChildren(live);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let done = null;
    for (;;) {
      const { value, done: ended } = await reader.read();
      buffer += decoder.decode(value || new Uint8Array(), { stream: !ended }).replace(/\r\n/g, "\n");
      let cut = buffer.indexOf("\n\n");
      while (cut >= 0) {
        const event = parseEvent(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        if (event && event.name === "delta") live.append(String(event.data.text || ""));
        else if (event && event.name === "done") done = event.data;
        cut = buffer.indexOf("\n\n");
      }
      if (ended) break;
    }
    if (!done) {
      renderProblem(turn, "回答が途中で終わりました", "通信が途切れました。もう一度送信してください。");
      return null;
    }
    renderAnswer(turn, done);
    return done;
  }

  function afterAnswer(request, data) {
    if (request.task !== "ask" || !data) return;
    if (data.status === "answered" || data.status === "no_results") {
      threadId = data.thread_id || threadId;
      $("thread").hidden = !threadId;
      $("ask-question").value = "";
    }
  }

  async function submit(event) {
    event.preventDefault();
    if (controller) return;
    clearProblems();
    const task = currentTask();
    let request;
    try {
      request = buildRequest(task);
    } catch (error) {
      if (error instanceof Problem) {
        showProblem(error);
        return;
      }
      throw error;
    }
    if (wantsPlaceholders(request)) {
      try {
        await showPreview(request);
      } catch {
        showProblem(new Problem(null, "サーバーに接続できませんでした。しばらくしてから再度お試しください。"));
      }
      return;
    }
    hidePreview();
    await send(request);
  }

  async function send(request) {
    const turn = addTurn(request.task, request.summary);
    controller = new AbortController();
    setBusy(true);
    try {
      const data = await run(request, turn, controller.signal);
      if (data && data.status === "answered") renderReplaced(turn, data);
      afterAnswer(request, data);
    } catch (error) {
      if (error && error.name === "AbortError") {
        renderProblem(turn, "中止しました", "依頼を中止しました。");
      } else {
        renderProblem(turn, "通信できませんでした", "サーバーに接続できませんでした。しばらくしてから再度お試しください。");
      }
    } finally {
      finishTurn(turn);
      controller = null;
      setBusy(false);
    }
  }

  async function loadHealth() {
    const health = $("health");
    try {
      const response = await fetch("/healthz");
      const h = await response.json();
      const model = h.generation ? "生成モデル：利用できます" : "生成モデル：未設定（質問とFAQ回答案は資料の引用で答えます）";
      health.textContent = `登録資料 ${h.documents} 件・${model}`;
    } catch {
      health.textContent = "サーバーに接続できません。";
    }
  }

  // -- own history (GET /v1/history) ---------------------------------------------------------

  const HISTORY_STATUS = { allowed: "通過", masked: "マスク", blocked: "遮断", failed: "失敗" };
  const HISTORY_TASK = { ask: "質問", chat: "チャット", ...Object.fromEntries(Object.entries(TASKS).map(([k, v]) => [k, v.label])) };
  let historyCursor = null;

  function historyTime(iso) {
    // "2026-11-23T10:42:09.123456+09:00" → "2026-11-23 10:42" (already JST)
    return iso.slice(0, 16).replace("T", " ");
  }

  async function loadHistory(more) {
    const status = $("history-status");
    const rows = $("history-rows");
    if (!more) {
      historyCursor = null;
      rows.replaceChildren();
    }
    status.textContent = "読み込んでいます…";
    const query = new URLSearchParams({ limit: "20" });
    if (more && historyCursor) query.set("cursor", historyCursor);
    try {
      const response = await fetch(`/v1/history?${query}`, { headers: CLIENT_HEADER });
      const data = await readJson(response);
      if (!response.ok) {
        status.textContent = failureMessage(response.status, data).message || "履歴を読み込めませんでした。";
        return;
      }
      for (const r of data.records) {
        rows.append(
          el(
            "tr",
            { className: `status-${r.status}` },
            el("td", {}, historyTime(r.created_at)),
            el("td", {}, HISTORY_TASK[r.task] || r.task),
            el("td", {}, HISTORY_STATUS[r.status] || r.status),
            el("td", {}, shorten(r.prompt, 120)),
          ),
        );
      }
      historyCursor = data.next_cursor;
      $("history-table").hidden = rows.children.length === 0;
      $("history-more").hidden = !historyCursor;
      status.textContent = rows.children.length === 0 ? "まだ履歴はありません。" : `${rows.children.length} 件を表示しています。`;
    } catch {
      status.textContent = "サーバーに接続できません。";
    }
  }

  // -- wiring ------------------------------------------------------------------------------

  form.addEventListener("submit", submit);
  form.addEventListener("change", (event) => {
    if (event.target.name === "task" || event.target.name === "summarize-source") showPanels();
    if (event.target.getAttribute("aria-invalid") === "true") event.target.removeAttribute("aria-invalid");
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  cancelButton.addEventListener("click", () => {
    if (controller) controller.abort();
  });
  // What the preview showed is what is sent: an edit after it needs a new preview.
  form.addEventListener("input", () => {
    if (pendingRequest) hidePreview();
  });
  $("preview-confirm").addEventListener("click", () => {
    if (!pendingRequest || controller) return;
    const request = pendingRequest;
    hidePreview();
    send(request);
  });
  $("preview-cancel").addEventListener("click", () => {
    hidePreview();
    const fields = form.querySelectorAll(".panel:not([hidden]) textarea, .panel:not([hidden]) input[type=file]");
    const field = [...fields].find((f) => f.offsetParent !== null);
    if (field) field.focus();
  });
  $("new-thread").addEventListener("click", () => {
    threadId = null;
    $("thread").hidden = true;
    $("ask-question").focus();
    formStatus.textContent = "新しい会話を始めます。";
  });
  log.addEventListener("click", (event) => {
    // A [n] link also opens that citation's excerpt.
    const link = event.target.closest("a.ref");
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    const details = target && target.querySelector("details");
    if (details) details.open = true;
  });

  $("history-load").addEventListener("click", () => loadHistory(false));
  $("history-more").addEventListener("click", () => loadHistory(true));

  showPanels();
  loadHealth();
})();
