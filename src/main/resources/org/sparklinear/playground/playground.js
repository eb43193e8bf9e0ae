'use strict';
/* The playground's page: data, drawing and controls. The mathematics is PlaygroundMath's. */
(() => {
  const M = PlaygroundMath;
  const VIEW = 3.2; // the plane shows [-VIEW, VIEW] on both axes
  const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00']; // Okabe–Ito: told apart by most eyes
  const STEPS_PER_FRAME = 4;
  const FORMULAS = {
    'hinge': 'L<sub>i</sub> = Σ<sub>j≠y</sub> max(0, s<sub>j</sub> − s<sub>y</sub> + Δ)',
    'squared-hinge': 'L<sub>i</sub> = Σ<sub>j≠y</sub> max(0, s<sub>j</sub> − s<sub>y</sub> + Δ)²',
    'crammer-singer': 'L<sub>i</sub> = max(0, max<sub>j≠y</sub> s<sub>j</sub> − s<sub>y</sub> + Δ)',
    'one-vs-all': 'L<sub>i</sub> = Σ<sub>j</sub> max(0, Δ − t<sub>j</sub> s<sub>j</sub>), t<sub>y</sub> = +1,'
      + ' t<sub>j</sub> = −1 for j ≠ y',
    'softmax': 'L<sub>i</sub> = −s<sub>y</sub> + log Σ<sub>j</sub> e<sup>s<sub>j</sub></sup>',
    'mse': 'L<sub>i</sub> = ½ Σ<sub>j</sub> (s<sub>j</sub> − t<sub>j</sub>)², t one-hot: t<sub>y</sub> = 1, the'
      + ' rest 0. A regression loss: it pulls every score to an exact value, so points already classified with'
      + ' confidence keep costing (see the README).',
  };
  const MARGIN_LOSSES = ['hinge', 'squared-hinge', 'crammer-singer', 'one-vs-all'];

  const $ = (id) => document.getElementById(id);
  const state = {
    K: 3, dataset: 'blobs', seed: 1, initDraws: 0, points: [], loss: 'softmax', delta: 1, lambda: 0.001, lr: 0.1,
    mu: 0.9, nesterov: true, rf: false, rfN: 100, featureMap: null, W: [], b: [], velocity: null, step: 0,
    history: [], running: false, selected: -1, dragging: false, current: null,
  };

  // ---- data sets, in plane coordinates ----
  function generate(kind, K, seed) {
    const next = M.random(seed * 7919 + 13);
    const normal = () => M.gaussian(next);
    const points = [];
    const perClass = 24;
    if (kind === 'xor') {
      while (points.length < 4 * perClass) {
        const qx = points.length % 2 === 0 ? 1 : -1;
        const qy = points.length % 4 < 2 ? 1 : -1;
        const x = qx * 1.4 + 0.45 * normal();
        const y = qy * 1.4 + 0.45 * normal();
        if (Math.abs(x) > 0.15 && Math.abs(y) > 0.15) { points.push({ x, y, c: (x > 0) !== (y > 0) ? 1 : 0 }); }
      }
      return points;
    }
    for (let c = 0; c < K; c++) {
      if (kind === 'rings') {
        const radius = 0.4 + (c * 2.4) / Math.max(1, K - 1);
        for (let i = 0; i < perClass + 6 * c; i++) {
          const angle = next() * 2 * Math.PI;
          const r = radius + 0.12 * normal();
          points.push({ x: r * Math.cos(angle), y: r * Math.sin(angle), c });
        }
      } else if (kind === 'modes') {
        const modes = 2 + (c % 2);
        const centres = [];
        for (let m = 0; m < modes; m++) { centres.push([4.4 * next() - 2.2, 4.4 * next() - 2.2]); }
        for (let i = 0; i < perClass; i++) {
          const [cx, cy] = centres[i % modes];
          points.push({ x: cx + 0.3 * normal(), y: cy + 0.3 * normal(), c });
        }
      } else {
        const angle = (2 * Math.PI * c) / K + 0.3;
        for (let i = 0; i < perClass; i++) {
          points.push({ x: 1.8 * Math.cos(angle) + 0.45 * normal(), y: 1.8 * Math.sin(angle) + 0.45 * normal(), c });
        }
      }
    }
    return points;
  }

  // ---- the model ----
  const features = (p) => (state.rf ? state.featureMap([p.x, p.y]) : [p.x, p.y]);
  const dimension = () => (state.rf ? state.rfN : 2);

  function fitFeatures() {
    state.featureMap = state.rf ? M.randomFeatures(state.points.map((p) => [p.x, p.y]), state.rfN, state.seed) : null;
  }

  function resetVelocity() {
    state.velocity = { W: state.W.map((row) => row.map(() => 0)), b: state.b.map(() => 0) };
  }

  /** W with small Gaussian entries (visible lines in the plane), b = 0; every re-initialisation draws anew. */
  function reinitialise() {
    fitFeatures();
    const next = M.random(state.seed * 104729 + ++state.initDraws);
    const D = dimension();
    const sd = 0.5 / Math.sqrt(D / 2);
    state.W = [];
    for (let k = 0; k < state.K; k++) {
      const row = [];
      for (let d = 0; d < D; d++) { row.push(sd * M.gaussian(next)); }
      state.W.push(row);
    }
    state.b = new Array(state.K).fill(0);
    resetVelocity();
    autoRate();
    state.step = 0;
    state.history = [];
    buildWeightControls();
    refresh();
  }

  /** With "auto" ticked, the rate that suits the loss and the current features. */
  function autoRate() {
    if (!$('lr-auto').checked) { return; }
    state.lr = Number(M.suggestedRate(state.loss, state.points.map(features)).toPrecision(2));
    $('lr').value = String(state.lr);
    $('lr').setAttribute('aria-invalid', 'false');
  }

  function objective() {
    return M.objective(state.loss, state.points.map(features), state.points.map((p) => p.c), state.W, state.b,
      { lambda: state.lambda, delta: state.delta });
  }

  function step() {
    const o = objective();
    if (!Number.isFinite(o.loss)) {
      pause();
      announce('the loss is no longer finite: lower the learning rate and re-initialise');
      return;
    }
    state.history.push({ step: state.step, loss: o.loss, accuracy: o.accuracy });
    M.sgdStep(state.W, state.b, state.velocity, o, state.lr, state.mu, state.nesterov);
    state.step++;
  }

  // ---- drawing ----
  const plane = $('plane');
  const chart = $('chart');

  function fit(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const rect = canvas.getBoundingClientRect();
    const w = Math.max(1, Math.round(rect.width * ratio));
    const h = Math.max(1, Math.round(rect.height * ratio));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return { ctx, w: rect.width, h: rect.height };
  }

  const toScreen = (size, x, y) => [((x + VIEW) / (2 * VIEW)) * size, ((VIEW - y) / (2 * VIEW)) * size];
  const toPlane = (size, px, py) => [(px / size) * 2 * VIEW - VIEW, VIEW - (py / size) * 2 * VIEW];

  /** The colour mixed with white, opaque: overlapping cells of the regions then show no seams. */
  function tint(hex, share) {
    const n = parseInt(hex.slice(1), 16);
    const mix = (c) => Math.round(255 - share * (255 - c));
    return `rgb(${mix(n >> 16)}, ${mix((n >> 8) & 255)}, ${mix(n & 255)})`;
  }

  function shape(ctx, c, x, y, r) {
    ctx.beginPath();
    const sides = [0, 4, 3, 4, 3][c];
    if (sides === 0) {
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    } else {
      const turn = [0, Math.PI / 4, -Math.PI / 2, 0, Math.PI / 2][c];
      const rr = r * (sides === 3 ? 1.3 : 1.2);
      for (let i = 0; i < sides; i++) {
        const a = turn + (2 * Math.PI * i) / sides;
        if (i === 0) { ctx.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a)); } else {
          ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
        }
      }
      ctx.closePath();
    }
  }

  const radius = (loss) => 3.5 + 2.5 * Math.sqrt(Math.min(Number.isFinite(loss) ? loss : 16, 16));

  function drawPlane() {
    const { ctx, w } = fit(plane);
    const size = w;
    ctx.clearRect(0, 0, size, size);
    const cells = Math.max(30, Math.min(90, Math.round(size / 6)));
    const cell = size / cells;
    for (let i = 0; i < cells; i++) {
      for (let j = 0; j < cells; j++) {
        const [x, y] = toPlane(size, (i + 0.5) * cell, (j + 0.5) * cell);
        const k = M.predict(M.scores(state.W, state.b, features({ x, y })));
        ctx.fillStyle = tint(COLOURS[k], 0.22);
        ctx.fillRect(i * cell, j * cell, cell + 1, cell + 1);
      }
    }
    ctx.strokeStyle = '#9aa3b2';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(size / 2, 0); ctx.lineTo(size / 2, size); ctx.moveTo(0, size / 2); ctx.lineTo(size, size / 2);
    ctx.stroke();
    if (!state.rf) { drawLines(ctx, size); }
    const o = state.current;
    state.points.forEach((p, i) => {
      const [px, py] = toScreen(size, p.x, p.y);
      shape(ctx, p.c, px, py, radius(o ? o.perPoint[i] : 0));
      ctx.fillStyle = COLOURS[p.c];
      ctx.fill();
      ctx.lineWidth = i === state.selected ? 3 : 1;
      ctx.strokeStyle = i === state.selected ? '#000' : '#1d2330';
      ctx.stroke();
    });
  }

  /** Each class's zero-score line w_j·x + b_j = 0 and its normal w_j, drawn from the line's point nearest the centre. */
  function drawLines(ctx, size) {
    for (let k = 0; k < state.K; k++) {
      const [w1, w2] = state.W[k];
      const norm = Math.hypot(w1, w2);
      if (!(norm > 1e-12)) { continue; }
      const x0 = (-state.b[k] * w1) / (norm * norm);
      const y0 = (-state.b[k] * w2) / (norm * norm);
      const dx = -w2 / norm;
      const dy = w1 / norm;
      const far = 4 * VIEW;
      const [ax, ay] = toScreen(size, x0 - far * dx, y0 - far * dy);
      const [bx, by] = toScreen(size, x0 + far * dx, y0 + far * dy);
      ctx.strokeStyle = COLOURS[k];
      ctx.lineWidth = 2.5;
      ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
      const [sx, sy] = toScreen(size, x0, y0);
      const [ex, ey] = toScreen(size, x0 + (0.6 * w1) / norm, y0 + (0.6 * w2) / norm);
      ctx.beginPath(); ctx.moveTo(sx, sy); ctx.lineTo(ex, ey); ctx.stroke();
      const angle = Math.atan2(ey - sy, ex - sx);
      ctx.beginPath();
      ctx.moveTo(ex, ey);
      ctx.lineTo(ex - 9 * Math.cos(angle - 0.45), ey - 9 * Math.sin(angle - 0.45));
      ctx.lineTo(ex - 9 * Math.cos(angle + 0.45), ey - 9 * Math.sin(angle + 0.45));
      ctx.closePath();
      ctx.fillStyle = COLOURS[k];
      ctx.fill();
    }
  }

  function drawChart() {
    const { ctx, w, h } = fit(chart);
    ctx.clearRect(0, 0, w, h);
    const left = 44;
    const right = 40;
    const top = 8;
    const bottom = 20;
    const history = state.history;
    const plotW = w - left - right;
    const plotH = h - top - bottom;
    const maxLoss = Math.max(1e-9, ...history.map((e) => e.loss));
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#555e6e';
    ctx.strokeStyle = '#c9ced8';
    ctx.strokeRect(left, top, plotW, plotH);
    ctx.textAlign = 'right';
    ctx.fillText(maxLoss.toPrecision(3), left - 4, top + 9);
    ctx.fillText('0', left - 4, top + plotH);
    ctx.textAlign = 'left';
    ctx.fillText('100%', left + plotW + 4, top + 9);
    ctx.fillText('0%', left + plotW + 4, top + plotH);
    ctx.textAlign = 'center';
    ctx.fillText(history.length ? 'steps 0 to ' + (history.length - 1) : 'no steps yet', left + plotW / 2, h - 5);
    if (history.length < 2) { return; }
    const x = (i) => left + (i / (history.length - 1)) * plotW;
    const line = (value, colour, dash) => {
      ctx.strokeStyle = colour;
      ctx.setLineDash(dash);
      ctx.lineWidth = 2;
      ctx.beginPath();
      const every = Math.max(1, Math.floor(history.length / plotW));
      for (let i = 0; i < history.length; i += every) {
        const y = top + plotH * (1 - value(history[i]));
        if (i === 0) { ctx.moveTo(x(i), y); } else { ctx.lineTo(x(i), y); }
      }
      ctx.stroke();
      ctx.setLineDash([]);
    };
    line((e) => Math.min(1, e.loss / maxLoss), '#0b5cad', []);
    line((e) => e.accuracy, '#c2410c', [5, 3]);
  }

  // ---- what the page shows ----
  function announce(message) {
    $('status').textContent = message;
  }

  function refresh() {
    state.current = objective();
    const o = state.current;
    const s = $('status');
    s.dataset.step = state.step;
    s.dataset.loss = o.loss;
    s.dataset.accuracy = o.accuracy;
    s.dataset.points = state.points.length;
    s.textContent = `step ${state.step} · loss ${o.loss.toFixed(4)} (data ${o.dataLoss.toFixed(4)} + reg `
      + `${o.penalty.toFixed(4)}) · accuracy ${(100 * o.accuracy).toFixed(1)} % · ${state.points.length} points`;
    syncWeightControls();
    drawPlane();
    drawChart();
  }

  function buildWeightControls() {
    const box = $('weights');
    box.textContent = '';
    $('weights-note').textContent = state.rf
      ? `W is ${state.K}×${state.rfN} on the random features, too many for sliders, and its lines live in that space,`
        + ' not the plane; the biases are here.'
      : 'Drag a slider (or use the arrow keys on it) to move a class\'s line; training continues from there.';
    for (let k = 0; k < state.K; k++) {
      const group = document.createElement('div');
      group.className = 'class-weights';
      const title = document.createElement('h3');
      title.innerHTML = `<span class="swatch" style="background:${COLOURS[k]}"></span> class ${k}`;
      group.appendChild(title);
      const names = state.rf ? ['b'] : ['w1', 'w2', 'b'];
      for (const name of names) {
        const id = name === 'b' ? `b-${k}` : `w-${k}-${name === 'w1' ? 0 : 1}`;
        const label = document.createElement('label');
        label.htmlFor = id;
        label.innerHTML = name === 'b' ? `b<sub>${k}</sub>` : `w<sub>${k},${name[1]}</sub>`;
        const input = document.createElement('input');
        Object.assign(input, { type: 'range', id, min: -5, max: 5, step: 0.01 });
        const output = document.createElement('output');
        output.htmlFor = id;
        output.id = id + '-value';
        input.addEventListener('input', () => {
          const v = Number(input.value);
          if (name === 'b') { state.b[k] = v; } else { state.W[k][name === 'w1' ? 0 : 1] = v; }
          resetVelocity(); // momentum would otherwise carry the model away from where the user put it
          refresh();
        });
        group.append(label, input, output);
      }
      box.appendChild(group);
    }
  }

  function syncWeightControls() {
    for (let k = 0; k < state.K; k++) {
      const pairs = [[`b-${k}`, state.b[k]]];
      if (!state.rf) { pairs.push([`w-${k}-0`, state.W[k][0]], [`w-${k}-1`, state.W[k][1]]); }
      for (const [id, value] of pairs) {
        const input = $(id);
        if (!input) { continue; }
        if (document.activeElement !== input) { input.value = String(value); }
        $(id + '-value').textContent = value.toFixed(2);
      }
    }
  }

  function buildClassChoice() {
    const select = $('add-class');
    const previous = Number(select.value) || 0;
    select.textContent = '';
    for (let k = 0; k < state.K; k++) {
      const option = document.createElement('option');
      option.value = String(k);
      option.textContent = String(k);
      select.appendChild(option);
    }
    select.value = String(Math.min(previous, state.K - 1));
  }

  function newData() {
    if (state.dataset === 'xor') {
      state.K = 2;
      $('classes').value = '2';
    }
    state.points = generate(state.dataset, state.K, state.seed);
    state.selected = -1;
    buildClassChoice();
    reinitialise();
  }

  // ---- running ----
  function frame() {
    if (!state.running) { return; }
    for (let i = 0; i < STEPS_PER_FRAME && state.running; i++) { step(); }
    refresh();
    requestAnimationFrame(frame);
  }

  function run() {
    if (state.running) { return; }
    state.running = true;
    $('run').disabled = true;
    $('pause').disabled = false;
    $('pause').focus();
    requestAnimationFrame(frame);
  }

  function pause() {
    const wasFocused = document.activeElement === $('pause');
    state.running = false;
    $('run').disabled = false;
    $('pause').disabled = true;
    if (wasFocused) { $('run').focus(); }
  }

  // ---- the plane's mouse and keyboard ----
  function hit(px, py) {
    const size = plane.getBoundingClientRect().width;
    let best = -1;
    let bestDistance = Infinity;
    state.points.forEach((p, i) => {
      const [sx, sy] = toScreen(size, p.x, p.y);
      const d = Math.hypot(sx - px, sy - py);
      const reach = radius(state.current ? state.current.perPoint[i] : 0) + 3;
      if (d <= reach && d < bestDistance) {
        best = i;
        bestDistance = d;
      }
    });
    return best;
  }

  function eventPosition(event) {
    const rect = plane.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top, rect.width];
  }

  function removePoint(i) {
    state.points.splice(i, 1);
    state.selected = -1;
    refresh();
  }

  plane.addEventListener('contextmenu', (event) => event.preventDefault());
  plane.addEventListener('pointerdown', (event) => {
    const [px, py, size] = eventPosition(event);
    const i = hit(px, py);
    if (i >= 0 && (event.shiftKey || event.button === 2)) {
      removePoint(i);
      return;
    }
    if (event.button !== 0) { return; }
    if (i >= 0) {
      state.selected = i;
    } else {
      const [x, y] = toPlane(size, px, py);
      state.points.push({ x, y, c: Number($('add-class').value) });
      state.selected = state.points.length - 1;
    }
    state.dragging = true;
    plane.setPointerCapture(event.pointerId);
    refresh();
  });
  plane.addEventListener('pointermove', (event) => {
    const [px, py, size] = eventPosition(event);
    if (state.dragging && state.selected >= 0) {
      const [x, y] = toPlane(size, px, py);
      state.points[state.selected].x = Math.max(-VIEW, Math.min(VIEW, x));
      state.points[state.selected].y = Math.max(-VIEW, Math.min(VIEW, y));
      refresh();
    }
    showTooltip(hit(px, py), px, py);
  });
  const endDrag = () => { state.dragging = false; };
  plane.addEventListener('pointerup', endDrag);
  plane.addEventListener('pointercancel', endDrag);
  plane.addEventListener('pointerleave', () => { $('tooltip').hidden = true; });
  plane.addEventListener('keydown', (event) => {
    const move = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, 0.1], ArrowDown: [0, -0.1] }[event.key];
    if (move && state.selected >= 0) {
      const p = state.points[state.selected];
      p.x = Math.max(-VIEW, Math.min(VIEW, p.x + move[0]));
      p.y = Math.max(-VIEW, Math.min(VIEW, p.y + move[1]));
    } else if (event.key === 'a' || event.key === 'A') {
      state.points.push({ x: 0, y: 0, c: Number($('add-class').value) });
      state.selected = state.points.length - 1;
    } else if ((event.key === 'n' || event.key === 'N') && state.points.length > 0) {
      state.selected = (state.selected + 1) % state.points.length;
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && state.selected >= 0) {
      removePoint(state.selected);
      event.preventDefault();
      return;
    } else {
      return;
    }
    event.preventDefault();
    refresh();
    if (state.selected >= 0) {
      const p = state.points[state.selected];
      const o = state.current;
      announce($('status').textContent + ` · selected: class ${p.c} at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}),`
        + ` loss ${o.perPoint[state.selected].toFixed(3)}`);
    }
  });

  function showTooltip(i, px, py) {
    const tip = $('tooltip');
    if (i < 0 || !state.current) {
      tip.hidden = true;
      return;
    }
    const p = state.points[i];
    const s = M.scores(state.W, state.b, features(p));
    tip.textContent = `class ${p.c} · loss ${state.current.perPoint[i].toFixed(3)} · scores `
      + s.map((v) => v.toFixed(2)).join(', ') + ` · predicted ${M.predict(s)}`;
    tip.hidden = false;
    const size = plane.getBoundingClientRect().width;
    tip.style.left = Math.max(0, Math.min(px + 12, size - tip.offsetWidth)) + 'px';
    tip.style.top = Math.max(0, py - 34) + 'px';
  }

  // ---- controls ----
  function numberSetting(id, key, valid, after) {
    const input = $(id);
    input.addEventListener('input', () => {
      const v = Number(input.value);
      const ok = input.value.trim() !== '' && Number.isFinite(v) && valid(v);
      input.setAttribute('aria-invalid', String(!ok));
      if (ok) {
        state[key] = v;
        if (after) { after(); }
      }
    });
  }

  numberSetting('lr', 'lr', (v) => v >= 0);
  numberSetting('lambda', 'lambda', (v) => v >= 0, refresh);
  numberSetting('momentum', 'mu', (v) => v >= 0 && v < 1, resetVelocity);
  numberSetting('delta', 'delta', (v) => v > 0, refresh);
  numberSetting('rf-n', 'rfN', (v) => Number.isInteger(v) && v >= 1 && v <= 400, () => {
    if (state.rf) { reinitialise(); }
  });
  $('lr-auto').addEventListener('change', (e) => {
    $('lr').readOnly = e.target.checked;
    autoRate();
  });
  $('nesterov').addEventListener('change', (e) => { state.nesterov = e.target.checked; });
  $('rf').addEventListener('change', (e) => {
    state.rf = e.target.checked;
    reinitialise();
  });
  for (const radio of document.querySelectorAll('input[name=dataset]')) {
    radio.addEventListener('change', () => {
      state.dataset = radio.value;
      newData();
    });
  }
  for (const radio of document.querySelectorAll('input[name=loss]')) {
    radio.addEventListener('change', () => {
      state.loss = radio.value;
      showLoss();
      autoRate();
      resetVelocity();
      refresh();
    });
  }
  $('classes').addEventListener('change', (e) => {
    state.K = Number(e.target.value);
    if (state.dataset === 'xor' && state.K !== 2) {
      state.dataset = 'blobs';
      document.querySelector('input[name=dataset][value=blobs]').checked = true;
    }
    newData();
  });
  $('resample').addEventListener('click', () => {
    state.seed++;
    newData();
  });
  $('step').addEventListener('click', () => {
    step();
    refresh();
  });
  $('run').addEventListener('click', run);
  $('pause').addEventListener('click', pause);
  $('reinit').addEventListener('click', reinitialise);
  window.addEventListener('resize', () => refresh());

  function showLoss() {
    $('formula').innerHTML = FORMULAS[state.loss] + '<br>objective: (1/N) Σ<sub>i</sub> L<sub>i</sub> + λ Σ W²'
      + ` — as <code>train --loss ${state.loss}</code>`;
    $('delta').disabled = !MARGIN_LOSSES.includes(state.loss);
  }

  // a reloaded page may keep the form's earlier choices: start from what the controls show
  state.loss = document.querySelector('input[name=loss]:checked').value;
  state.dataset = document.querySelector('input[name=dataset]:checked').value;
  state.K = Number($('classes').value);
  state.rf = $('rf').checked;
  state.nesterov = $('nesterov').checked;
  $('lr').readOnly = $('lr-auto').checked;
  for (const [id, key] of [['lr', 'lr'], ['lambda', 'lambda'], ['momentum', 'mu'], ['delta', 'delta'], ['rf-n', 'rfN']]) {
    const v = Number($(id).value);
    if ($(id).value.trim() !== '' && Number.isFinite(v)) { state[key] = v; }
  }

  window.playground = { state, step, refresh };
  showLoss();
  newData();
})();
