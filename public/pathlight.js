/* global document, window, FormData, URLSearchParams, fetch, history */
// Progressive enhancement for Pathlight's pages: pickers fill forms, the funnel builder previews
// live through the JSON API. Every page works without this script.
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  // Shared pieces: field errors shown under their control, charts, toasts.
  function clearFieldErrors(form) {
    form.querySelectorAll('.field-error.live').forEach(function (p) {
      p.remove();
    });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (control) {
      control.removeAttribute('aria-invalid');
      control.removeAttribute('aria-describedby');
    });
  }
  function showFieldError(form, name, message) {
    var control = form.querySelector('[name="' + name + '"]');
    if (!control) return false;
    var p = document.createElement('p');
    p.className = 'field-error live';
    p.id = 'error-' + name.replace(/[^A-Za-z0-9-]/g, '-');
    p.setAttribute('role', 'alert');
    p.textContent = message;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', p.id);
    control.insertAdjacentElement('afterend', p);
    return true;
  }
  // The API's message without the validator's path in front (the field already says where).
  function plainMessage(error) {
    var m = /^([A-Za-z_][\w.[\]]*): (.*)$/.exec(error.message || '');
    return m ? m[2] : error.message || 'failed';
  }
  function drawChart(element, option) {
    if (!window.echarts || !element) return null;
    var chart =
      window.echarts.getInstanceByDom(element) ||
      window.echarts.init(element, null, { renderer: 'svg' });
    chart.setOption(option, true);
    window.addEventListener('resize', function () {
      chart.resize();
    });
    return chart;
  }
  window.pathlightCharts = { draw: drawChart };
  // A field with an error is opened (inside a closed details) and focused, so it is seen.
  var firstInvalid = document.querySelector('[aria-invalid="true"]');
  if (firstInvalid) {
    var closed = firstInvalid.closest('details');
    while (closed) {
      closed.open = true;
      closed = closed.parentElement && closed.parentElement.closest('details');
    }
    firstInvalid.focus();
  }
  var toast = document.getElementById('toast');
  if (toast)
    window.setTimeout(function () {
      toast.hidden = true;
    }, 6000);

  // Events and goals: picking an event or a parameter value fills the goal form.
  var goalForm = document.getElementById('goal-form');
  function filterParams(eventName) {
    if (!goalForm) return;
    goalForm.querySelectorAll('select[name="condParam"] optgroup').forEach(function (group) {
      group.hidden = eventName !== '' && group.dataset.event !== eventName;
      group.disabled = group.hidden;
    });
  }
  function selectParam(eventName, key) {
    var select = goalForm.elements.namedItem('condParam');
    Array.prototype.forEach.call(select.options, function (option) {
      var group = option.parentElement;
      option.selected =
        option.value === key && group.tagName === 'OPTGROUP' && group.dataset.event === eventName;
    });
  }
  function fillValues(eventName, key) {
    var list = document.getElementById('cond-values');
    if (!list) return;
    list.textContent = '';
    document.querySelectorAll('.pick-value').forEach(function (chip) {
      if (chip.dataset.event === eventName && chip.dataset.key === key) {
        var option = document.createElement('option');
        option.value = chip.dataset.value;
        list.appendChild(option);
      }
    });
  }
  if (goalForm) {
    var eventSelect = goalForm.elements.namedItem('event');
    var paramSelect = goalForm.elements.namedItem('condParam');
    eventSelect.addEventListener('change', function () {
      var key = paramSelect.value;
      filterParams(eventSelect.value);
      if (key) selectParam(eventSelect.value, key);
    });
    filterParams(eventSelect.value);
    paramSelect.addEventListener('change', function () {
      fillValues(eventSelect.value, paramSelect.value);
    });
    document.querySelectorAll('.pick-event').forEach(function (button) {
      button.addEventListener('click', function () {
        eventSelect.value = button.dataset.event;
        filterParams(eventSelect.value);
        goalForm.scrollIntoView({ behavior: 'smooth' });
      });
    });
    document.querySelectorAll('.pick-value').forEach(function (chip) {
      chip.addEventListener('click', function () {
        document.querySelectorAll('.pick-value.picked').forEach(function (c) {
          c.classList.remove('picked');
        });
        chip.classList.add('picked');
        eventSelect.value = chip.dataset.event;
        filterParams(chip.dataset.event);
        // The option inside this event's group: a parameter several events carry has one
        // option per event, and only the shown group's is enabled (and so submitted).
        selectParam(chip.dataset.event, chip.dataset.key);
        fillValues(chip.dataset.event, chip.dataset.key);
        goalForm.elements.namedItem('condValue').value = chip.dataset.value;
        goalForm.elements.namedItem('condType').value = chip.dataset.type;
      });
    });
  }

  // Goal preview through the JSON API: the day-by-day table without leaving the page.
  var previewButton = document.getElementById('goal-preview');
  if (goalForm && previewButton) {
    previewButton.addEventListener('click', function (event) {
      event.preventDefault();
      var data = new FormData(goalForm);
      var goal = { event: data.get('event'), value: data.get('value') || 'none' };
      var raw = String(data.get('condValue') || '');
      if (data.get('condParam')) {
        var numeric = /^-?\d+(\.\d+)?$/.test(raw) && data.get('condType') !== 'string';
        goal.where = [
          {
            param: data.get('condParam'),
            op: data.get('condOp'),
            value: numeric ? Number(raw) : raw,
          },
        ];
      }
      goal.dateRange = { start: data.get('from'), end: data.get('to') };
      var out = document.getElementById('goal-preview-result');
      out.setAttribute('aria-busy', 'true');
      clearFieldErrors(goalForm);
      fetch('/api/goals/preview', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify(goal),
      })
        .then(function (res) {
          return res.json().then(function (body) {
            out.textContent = '';
            out.removeAttribute('aria-busy');
            if (!res.ok) {
              var error = body.error || { message: 'preview failed' };
              var field = GOAL_FIELDS[error.field] || '';
              if (field && showFieldError(goalForm, field, plainMessage(error))) return;
              var p = document.createElement('p');
              p.className = 'error';
              p.setAttribute('role', 'alert');
              p.textContent = error.message;
              out.appendChild(p);
              return;
            }
            var total = body.days.reduce(function (sum, d) {
              return sum + d.units;
            }, 0);
            var summary = document.createElement('p');
            summary.id = 'goal-preview-summary';
            summary.textContent =
              total === 0
                ? 'No user reached this goal from ' +
                  goal.dateRange.start +
                  ' to ' +
                  goal.dateRange.end +
                  '.'
                : 'Users reaching this goal per day, before saving it:';
            out.appendChild(summary);
            var chartBox = document.createElement('div');
            chartBox.className = 'chart';
            chartBox.id = 'goal-preview-chart';
            chartBox.setAttribute('role', 'img');
            chartBox.setAttribute('aria-label', 'Users reaching the goal per day');
            out.appendChild(chartBox);
            drawChart(chartBox, {
              grid: { left: 48, right: 16, top: 24, bottom: 40 },
              tooltip: { trigger: 'axis' },
              xAxis: {
                type: 'category',
                data: body.days.map(function (d) {
                  return d.date;
                }),
              },
              yAxis: { type: 'value', minInterval: 1 },
              series: [
                {
                  type: 'bar',
                  name: 'Users converting',
                  itemStyle: { color: '#2458c6' },
                  data: body.days.map(function (d) {
                    return d.units;
                  }),
                },
              ],
            });
            var details = document.createElement('details');
            var sum = document.createElement('summary');
            sum.textContent = 'Day by day as a table';
            details.appendChild(sum);
            var table = document.createElement('table');
            table.className = 'data';
            table.id = 'goal-preview-table';
            var head = table.createTHead().insertRow();
            ['Day', 'Users converting'].forEach(function (h, i) {
              var th = document.createElement('th');
              th.textContent = h;
              th.scope = 'col';
              if (i > 0) th.className = 'num';
              head.appendChild(th);
            });
            var tbody = table.createTBody();
            body.days.forEach(function (d) {
              var tr = tbody.insertRow();
              tr.insertCell().textContent = d.date;
              var td = tr.insertCell();
              td.className = 'num';
              td.dataset.units = String(d.units);
              td.textContent = String(d.units);
            });
            details.appendChild(table);
            out.appendChild(details);
          });
        })
        .catch(function (error) {
          out.textContent = String(error);
        });
    });
  }
  var GOAL_FIELDS = {
    name: 'name',
    event: 'event',
    value: 'value',
    'where[0].param': 'condParam',
    'where[0].op': 'condOp',
    'where[0].value': 'condValue',
  };

  // Rows of a list (steps, conditions, exclusions, segments, rules, stages) keep their own
  // numbers in their fields' names: a removed row takes its fields along, an added one gets
  // a number no other row of the list has. Used by the report editor and the funnel builder.
  function listRows(form) {
    var rowsOf = function (list) {
      return Array.prototype.filter.call(list.children, function (c) {
        return c.classList.contains('row');
      });
    };
    var escaped = function (text) {
      return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    };
    var ownRemove = function (row) {
      return row.querySelector(':scope > .row-remove, :scope > .row-line > .row-remove');
    };
    // What people read follows the rows as they are now: "Step 3" after step 2 went is step 2.
    // Field names keep their own numbers; only the words change.
    var renumberRows = function (list) {
      rowsOf(list).forEach(function (row, i) {
        var number = String(i + 1);
        [row.querySelector('label'), row.querySelector(':scope > details > summary')].forEach(
          function (label) {
            if (label && label.firstChild && label.firstChild.nodeType === 3)
              label.firstChild.textContent = label.firstChild.textContent.replace(/\d+/, number);
          },
        );
        var remove = ownRemove(row);
        var words = remove && remove.getAttribute('aria-label');
        if (words) remove.setAttribute('aria-label', words.replace(/\d+$/, number));
      });
    };
    // A funnel's exclusions name steps by number: when its steps list changes in the page, their
    // pickers offer the steps there are now, and a chosen step after a removed one moves up with
    // it (the server offers the same numbers on a round trip).
    var restepExclusions = function (list, removedAt) {
      var prefix = list.dataset.prefix || '';
      if (!/\.steps$/.test(prefix)) return;
      var form = list.closest('form');
      var exclusions = prefix.replace(/steps$/, 'exclusions');
      var count = Math.max(rowsOf(list).length, 2);
      form.querySelectorAll('select[name^="' + exclusions + '."]').forEach(function (select) {
        if (!/\.between\.[01]$/.test(select.name)) return;
        var chosen = Number(select.value) || 1;
        if (removedAt !== undefined && chosen > removedAt) chosen -= 1;
        chosen = Math.min(chosen, count);
        select.textContent = '';
        for (var n = 1; n <= count; n++) {
          var option = document.createElement('option');
          option.value = option.textContent = String(n);
          option.selected = n === chosen;
          select.appendChild(option);
        }
      });
    };
    var addRow = function (list, prefix) {
      var rows = rowsOf(list);
      var last = rows[rows.length - 1];
      if (!last) return null;
      var own = new RegExp('^' + escaped(prefix) + '\\.(\\d+)\\.');
      var max = -1;
      rows.forEach(function (row) {
        row.querySelectorAll('[name]').forEach(function (el) {
          var m = own.exec(el.name);
          if (m) max = Math.max(max, Number(m[1]));
        });
      });
      var clone = last.cloneNode(true);
      clone.querySelectorAll('[name]').forEach(function (el) {
        el.name = el.name.replace(own, prefix + '.' + (max + 1) + '.');
        el.removeAttribute('aria-invalid');
        if (el.tagName === 'SELECT') {
          Array.prototype.forEach.call(el.options, function (o) {
            o.selected = o.defaultSelected && !el.multiple;
          });
        } else if (el.type === 'checkbox') el.checked = false;
        else if (el.type !== 'hidden') el.value = '';
      });
      clone.querySelectorAll('.field-error, .row-remove').forEach(function (el) {
        el.remove();
      });
      // A row added here is removed here too: it gets the list's remove button (its value is
      // never posted, the script takes the click).
      var model = rows.map(ownRemove).filter(Boolean)[0];
      if (model) {
        var remove = model.cloneNode(true);
        remove.value = '';
        (clone.querySelector(':scope > .row-line') || clone).appendChild(remove);
      }
      list.appendChild(clone);
      renumberRows(list);
      restepExclusions(list);
      return clone;
    };
    form.addEventListener('click', function (event) {
      var button = event.target.closest('button');
      if (!button) return;
      if (button.classList.contains('row-remove')) {
        event.preventDefault();
        var row = button.closest('.row');
        var next = row.nextElementSibling || row.previousElementSibling;
        var from = row.parentElement;
        var removedAt = rowsOf(from).indexOf(row) + 1;
        row.remove();
        renumberRows(from);
        restepExclusions(from, removedAt);
        var focus = next && next.querySelector('select, input:not([type="hidden"])');
        if (focus) focus.focus();
      } else if (button.classList.contains('row-add')) {
        var target = button.parentElement.querySelector(':scope > ol.rows');
        if (!target) return;
        event.preventDefault();
        var fresh = addRow(target, target.dataset.prefix);
        var control = fresh && fresh.querySelector('select, input:not([type="hidden"])');
        if (control) control.focus();
      }
    });
    // A list of conditions grows by an empty row once its last one is used.
    form.addEventListener('change', function (event) {
      var row = event.target.closest('.condition-row');
      if (!row || row.nextElementSibling) return;
      var subject = row.querySelector('select[name$=".subject"]');
      var m = subject && /^(.*)\.\d+\.subject$/.exec(subject.name);
      if (m && subject.value) addRow(row.parentElement, m[1]);
    });
  }
  // Report editor: sections move and go without a round trip (the buttons post the form without
  // script); the form's field names carry each section's position, so they are renumbered.
  var reportForm = document.getElementById('report-form');
  if (reportForm) {
    var sectionList = document.getElementById('sections');
    var renumberSections = function () {
      var items = sectionList.querySelectorAll('.section');
      items.forEach(function (li, i) {
        li.querySelectorAll('[name^="section."]').forEach(function (input) {
          input.name = input.name.replace(/^section\.\d+\./, 'section.' + i + '.');
        });
        li.querySelectorAll('[data-prefix^="section."]').forEach(function (list) {
          list.dataset.prefix = list.dataset.prefix.replace(
            /^section\.\d+\./,
            'section.' + i + '.',
          );
        });
        var label = li.querySelector('.section-label');
        label.textContent = label.textContent.replace(/^\d+\./, i + 1 + '.');
        li.querySelectorAll('.section-up, .section-down').forEach(function (b) {
          b.hidden =
            (b.classList.contains('section-up') && i === 0) ||
            (b.classList.contains('section-down') && i === items.length - 1);
        });
      });
    };
    sectionList.addEventListener('click', function (event) {
      var button = event.target.closest('button');
      if (!button) return;
      var li = button.closest('.section');
      var up = button.classList.contains('section-up');
      var down = button.classList.contains('section-down');
      var remove = button.classList.contains('section-remove');
      if (!up && !down && !remove) return;
      event.preventDefault();
      if (remove) li.remove();
      if (up && li.previousElementSibling) sectionList.insertBefore(li, li.previousElementSibling);
      if (down && li.nextElementSibling) sectionList.insertBefore(li.nextElementSibling, li);
      renumberSections();
    });
    // Up and down buttons exist only where they do something; script shows them where they now do.
    var addMoveButtons = function (li) {
      var tools = li.querySelector('.step-tools');
      ['section-up', 'section-down'].forEach(function (cls) {
        if (tools.querySelector('.' + cls)) return;
        var b = document.createElement('button');
        b.type = 'button';
        b.className = cls;
        b.setAttribute('aria-label', cls === 'section-up' ? 'Move up' : 'Move down');
        b.textContent = cls === 'section-up' ? '↑' : '↓';
        tools.insertBefore(b, cls === 'section-up' ? tools.firstChild : tools.lastElementChild);
      });
    };
    sectionList.querySelectorAll('.section').forEach(addMoveButtons);
    renumberSections();
    // A section is added from its type's template, drawn by the server with `__N__` for its
    // number: a number no other section has, then renumbered in order like the rest.
    // The templates' pickers list the events of the range the page was drawn for: once the
    // range changes, a section is added by the server, which lists the new range's events.
    var added = 0;
    var rangeNow = function () {
      return ['dateRange', 'start', 'end']
        .map(function (name) {
          var control = reportForm.querySelector('[name="' + name + '"]');
          return control ? control.value : '';
        })
        .join('|');
    };
    var rangeDrawn = rangeNow();
    reportForm.querySelectorAll('.add-section-button').forEach(function (button) {
      button.addEventListener('click', function (event) {
        if (rangeNow() !== rangeDrawn) return;
        var template = reportForm.querySelector(
          'template.section-template[data-type="' + button.dataset.type + '"]',
        );
        if (!template) return;
        event.preventDefault();
        var li = template.content.firstElementChild.cloneNode(true);
        var unique = String(100 + added++);
        li.querySelectorAll('*').forEach(function (el) {
          ['name', 'id', 'for', 'value', 'data-prefix', 'aria-describedby'].forEach(function (a) {
            var v = el.getAttribute(a);
            if (v && v.indexOf('__N__') !== -1) el.setAttribute(a, v.split('__N__').join(unique));
          });
        });
        // A new funnel ends at the report's goal as the form now has it, as a round trip would.
        var goalStep = li.querySelector('select[name$=".funnel.steps.1.ref"]');
        var savedGoal = reportForm.querySelector('select[name="savedGoal"]');
        var goalEvent = reportForm.querySelector('select[name="goalEvent"]');
        var goal =
          savedGoal && savedGoal.value
            ? 'goal:' + savedGoal.value
            : goalEvent && goalEvent.value
              ? 'event:' + goalEvent.value
              : '';
        if (
          goalStep &&
          goal &&
          Array.prototype.some.call(goalStep.options, function (o) {
            return o.value === goal;
          })
        )
          goalStep.value = goal;
        sectionList.appendChild(li);
        addMoveButtons(li);
        renumberSections();
        li.scrollIntoView({ block: 'nearest' });
        var first = li.querySelector('input:not([type="hidden"]), select');
        if (first) first.focus();
      });
    });
    listRows(reportForm);
    var rangeSelect = document.getElementById('report-range');
    var fixedDates = document.getElementById('fixed-dates');
    var showDates = function () {
      fixedDates.hidden = rangeSelect.value !== 'fixed';
    };
    rangeSelect.addEventListener('change', showDates);
    showDates();
  }
  document.querySelectorAll('form.delete-report').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm('Delete this report and every schedule that sends it?'))
        event.preventDefault();
    });
  });

  // Schedules: the cron box is for a custom schedule; runs in progress update live.
  var presetSelect = document.getElementById('schedule-preset');
  var scheduleForm = document.getElementById('schedule-form');
  if (presetSelect && scheduleForm) {
    var cronInput = scheduleForm.elements.namedItem('cron');
    var cronField = document.getElementById('cron-field');
    var showCron = function () {
      cronField.hidden = presetSelect.value !== '';
    };
    presetSelect.addEventListener('change', function () {
      // A preset replaces what was typed, so what is shown is what is saved.
      if (presetSelect.value !== '') cronInput.value = '';
      showCron();
    });
    cronInput.addEventListener('input', function () {
      if (cronInput.value.trim() !== '') presetSelect.value = '';
    });
    showCron();
  }
  document.querySelectorAll('form.delete-schedule').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm('Delete this schedule? Its run history goes with it.'))
        event.preventDefault();
    });
  });
  function runStatusText(run) {
    if (run.status === 'claimed') return 'waiting to start';
    if (run.status === 'running')
      return run.stageMs && 'render_total' in run.stageMs ? 'sending' : 'querying and rendering';
    if (run.status === 'failed') return run.error ? 'failed: ' + run.error : 'failed';
    if (run.status === 'partial') return ('partly sent: ' + (run.error || '')).trim();
    return run.status;
  }
  function pollSchedule(section) {
    var id = section.id.replace(/^schedule-/, '');
    fetch('/api/schedules/' + encodeURIComponent(id) + '/runs', { credentials: 'same-origin' })
      .then(function (res) {
        return res.ok ? res.json() : { runs: [] };
      })
      .then(function (body) {
        var stillLive = false;
        body.runs.forEach(function (run) {
          var row = section.querySelector('tr[data-run="' + run.id + '"]');
          if (!row) return;
          var badge = row.querySelector('.status');
          badge.textContent = runStatusText(run);
          badge.className = 'status status-' + run.status;
          row.className = 'run-' + run.status;
          var live = run.status === 'claimed' || run.status === 'running';
          if (live) stillLive = true;
          else row.removeAttribute('data-live');
          var order = ['query', 'html', 'pdf', 'render_total', 'send'];
          row.querySelector('.stages').textContent = Object.keys(run.stageMs || {})
            .sort(function (a, b) {
              return order.indexOf(a) - order.indexOf(b);
            })
            .map(function (stage) {
              var ms = run.stageMs[stage];
              return stage.replace('_', ' ') + ' ' + (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
            })
            .join(', ');
          row.querySelector('.deliveries').textContent = run.deliveries
            .map(function (d) {
              return d.recipient + ': ' + d.status + (d.error ? ' (' + d.error + ')' : '');
            })
            .join(', ');
        });
        if (stillLive) window.setTimeout(pollSchedule, 1000, section);
      })
      .catch(function () {
        window.setTimeout(pollSchedule, 3000, section);
      });
  }
  document.querySelectorAll('section.schedule').forEach(function (section) {
    if (section.querySelector('tr[data-live="true"]'))
      window.setTimeout(pollSchedule, 1000, section);
  });

  // Funnel builder: add, remove, reorder steps; preview live through POST /funnel/preview, which
  // answers the funnel with the chart options the reports use.
  function drawPageCharts(root) {
    var data = root.querySelector('#funnel-charts');
    if (!data) return;
    var options = JSON.parse(data.textContent || '{}');
    root.querySelectorAll('.chart[data-option]').forEach(function (box) {
      var option = options[box.dataset.option];
      if (option) drawChart(box, option);
    });
  }
  drawPageCharts(document);
  var funnelForm = document.getElementById('funnel-form');
  if (!funnelForm) return;
  var steps = document.getElementById('steps');
  var addStep = document.getElementById('add-step');
  var result = document.getElementById('funnel-result');
  var saveForms = document.querySelectorAll('form.save-funnel');
  var TOO_FEW = 'Pick at least 2 steps: a funnel shows how many go on from one to the next.';
  addStep.hidden = false;

  function renumber() {
    steps.querySelectorAll('.step').forEach(function (li, i) {
      var label = li.querySelector('label');
      label.firstChild.textContent = 'Step ' + (i + 1) + ' ';
      li.querySelector('input[name="directly"]').value = String(i + 1);
      li.querySelector('.step-up').setAttribute('aria-label', 'Move step ' + (i + 1) + ' up');
      li.querySelector('.step-down').setAttribute('aria-label', 'Move step ' + (i + 1) + ' down');
      li.querySelector('.step-remove').setAttribute('aria-label', 'Remove step ' + (i + 1));
    });
  }
  function specFromForm() {
    var data = new FormData(funnelForm);
    var directly = data.getAll('directly');
    var within = data.getAll('within');
    var list = [];
    data.getAll('step').forEach(function (value, i) {
      if (!value) return;
      var at = value.indexOf(':');
      var kind = value.slice(0, at);
      var name = value.slice(at + 1);
      var step = kind === 'goal' ? { goal: name } : { event: name };
      if (within[i]) step.within = within[i];
      if (i > 0 && directly.indexOf(String(i + 1)) >= 0) step.directly = true;
      list.push(step);
    });
    var spec = {
      dateRange: { start: data.get('from'), end: data.get('to') },
      scope: data.get('scope'),
      type: data.get('type'),
      identity: data.get('identity') || 'blended',
      steps: list,
    };
    if (data.get('window')) spec.window = data.get('window');
    if (data.get('breakdown')) spec.breakdown = data.get('breakdown');
    if (data.get('trend')) spec.trend = { interval: data.get('interval') || 'day' };
    return spec;
  }
  function queryString() {
    return new URLSearchParams(new FormData(funnelForm)).toString();
  }
  function cell(text, numeric) {
    var td = document.createElement('td');
    td.textContent = text;
    if (numeric) td.className = 'num';
    return td;
  }
  function pct(x) {
    return (x * 100).toFixed(1) + '%';
  }
  function table(id, headings) {
    var t = document.createElement('table');
    t.className = 'data';
    t.id = id;
    var head = t.createTHead().insertRow();
    headings.forEach(function (h, i) {
      var th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      if (i > 0 && h !== 'Step') th.className = 'num';
      head.appendChild(th);
    });
    t.createTBody();
    return t;
  }
  function chartBox(id, label) {
    var box = document.createElement('div');
    box.className = 'chart';
    box.id = id;
    box.setAttribute('role', 'img');
    box.setAttribute('aria-label', label);
    return box;
  }
  // Groups of the funnel (a breakdown's values, or segments) as grouped bars and a table.
  function groupsOf(label, id, groups, option, unit) {
    if (!groups.length) return;
    var h = document.createElement('h2');
    h.textContent = 'By ' + label.toLowerCase();
    result.appendChild(h);
    var chart = chartBox(id + '-chart', 'Funnel by ' + label.toLowerCase());
    result.appendChild(chart);
    drawChart(chart, option);
    var byGroup = table(id, [label, 'Step', unit, 'Conversion']);
    groups.forEach(function (g) {
      g.steps.forEach(function (s, i) {
        var tr = byGroup.tBodies[0].insertRow();
        tr.dataset.group = g.name;
        tr.append(
          cell(g.name),
          cell(i + 1 + '. ' + s.name),
          cell(String(s.count), true),
          cell(pct(s.conversionRate), true),
        );
        tr.children[2].dataset.count = String(s.count);
      });
    });
    result.appendChild(byGroup);
  }
  // Conversion over time: the report's trended funnel lines, and each period's step counts.
  function trendOf(trend, option, answer) {
    var h = document.createElement('h2');
    h.textContent = 'Conversion over time';
    var hint = document.createElement('p');
    hint.className = 'hint';
    hint.textContent =
      'Share of ' +
      answer.unit +
      ' entering each ' +
      trend.interval +
      ' who reached the last step.';
    var chart = chartBox('funnel-trend-chart', 'Conversion over time');
    result.append(h, hint, chart);
    drawChart(chart, option);
    var names = answer.steps.map(function (s, i) {
      return i + 1 + '. ' + s.name;
    });
    var t = table('funnel-trend', [trend.interval + ' from'].concat(names, ['Conversion']));
    trend.periods.forEach(function (p) {
      var tr = t.tBodies[0].insertRow();
      tr.dataset.period = p.start;
      tr.append(cell(p.start));
      p.steps.forEach(function (s) {
        var td = cell(String(s.count), true);
        td.dataset.count = String(s.count);
        tr.append(td);
      });
      var last = p.steps[p.steps.length - 1];
      tr.append(cell(pct(last ? last.conversionRate : 0), true));
    });
    result.appendChild(t);
  }
  function render(answer) {
    result.textContent = '';
    var first = answer.steps.length ? answer.steps[0].count : 0;
    if (first === 0) {
      var empty = document.createElement('p');
      empty.className = 'empty';
      empty.id = 'funnel-empty';
      var range = specFromForm().dateRange;
      empty.textContent =
        'Nobody entered this funnel from ' + range.start + ' to ' + range.end + '.';
      result.appendChild(empty);
    } else {
      // No chart of zeros: the sentence above says what there is.
      var stepsChart = chartBox('funnel-chart', 'Funnel chart');
      result.appendChild(stepsChart);
      drawChart(stepsChart, answer.charts.steps);
    }
    var main = table('funnel-table', [
      'Step',
      answer.unit,
      'Conversion',
      'From previous',
      'Abandonments',
    ]);
    answer.steps.forEach(function (s, i) {
      var tr = main.tBodies[0].insertRow();
      tr.append(
        cell(i + 1 + '. ' + s.name),
        cell(String(s.count), true),
        cell(pct(s.conversionRate), true),
        cell(pct(s.fromPrevious), true),
        cell(String(s.abandonments), true),
      );
      tr.children[1].dataset.count = String(s.count);
    });
    result.appendChild(main);
    var breakdown = answer.breakdown.map(function (b) {
      return { name: b.value, steps: b.steps };
    });
    groupsOf('Breakdown', 'funnel-groups', breakdown, answer.charts.groups, answer.unit);
    groupsOf('Segment', 'funnel-segments', answer.segments, answer.charts.segments, answer.unit);
    if (answer.trend) trendOf(answer.trend, answer.charts.trend, answer);
    var sql = document.createElement('details');
    sql.id = 'funnel-sql';
    var summary = document.createElement('summary');
    summary.textContent = 'Show SQL';
    var note = document.createElement('p');
    note.className = 'hint';
    note.textContent =
      "The funnel's query as BigQuery runs it, its values written in: paste it into the BigQuery console" +
      (answer.sqlExample
        ? ", after putting your export's project and dataset in place of your-project.analytics_123456789."
        : '.');
    var pre = document.createElement('pre');
    pre.className = 'sql';
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', 'The query for BigQuery');
    pre.textContent = answer.sql;
    sql.append(summary, note, pre);
    result.appendChild(sql);
  }
  function showError(error) {
    result.textContent = '';
    clearFieldErrors(funnelForm);
    var existing = document.getElementById('error-steps');
    if (existing) existing.remove();
    steps.removeAttribute('aria-describedby');
    if (error.field === 'steps') {
      var p = document.createElement('p');
      p.className = 'field-error live';
      p.id = 'error-steps';
      p.setAttribute('role', 'alert');
      p.textContent = error.message;
      steps.insertAdjacentElement('afterend', p);
      steps.setAttribute('aria-describedby', p.id);
      return;
    }
    if (error.field && showFieldError(funnelForm, error.field, error.message)) return;
    var banner = document.createElement('p');
    banner.className = 'error';
    banner.setAttribute('role', 'alert');
    banner.textContent = error.message;
    result.appendChild(banner);
  }
  var pending = 0;
  function preview(explicit) {
    setFunnelQuery();
    var spec = specFromForm();
    var ticket = ++pending;
    if (spec.steps.length < 2) {
      // While steps are being picked one by one, say nothing until asked to preview.
      if (explicit === true) showError({ field: 'steps', message: TOO_FEW });
      result.dataset.ready = String(ticket);
      return;
    }
    // On BigQuery, the bytes the preview's queries will process, from dry runs, before they run.
    fetch('/funnel/estimate', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ form: queryString() }),
    })
      .then(function (res) {
        return res.json();
      })
      .then(function (body) {
        var note = document.getElementById('funnel-estimate');
        if (!note || typeof body.bytesProcessed !== 'number') return;
        note.textContent =
          'This query will process ' + (body.bytesProcessed / 1e9).toFixed(2) + ' GB.';
      })
      .catch(function () {});
    result.setAttribute('aria-busy', 'true');
    // The form as typed: the server reads segments' condition rows as it reads the GET form.
    fetch('/funnel/preview', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ form: queryString() }),
    })
      .then(function (res) {
        return res.json().then(function (body) {
          if (ticket !== pending) return;
          result.removeAttribute('aria-busy');
          if (!res.ok) showError(body.error || { message: 'preview failed' });
          else {
            clearFieldErrors(funnelForm);
            var stale = document.getElementById('error-steps');
            if (stale) stale.remove();
            render(body);
          }
          result.dataset.ready = String(ticket);
        });
      })
      .catch(function (error) {
        showError({ message: String(error) });
      });
  }
  steps.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) return;
    var li = button.closest('.step');
    if (button.classList.contains('step-remove') && steps.children.length > 1) li.remove();
    if (button.classList.contains('step-up') && li.previousElementSibling)
      steps.insertBefore(li, li.previousElementSibling);
    if (button.classList.contains('step-down') && li.nextElementSibling)
      steps.insertBefore(li.nextElementSibling, li);
    renumber();
    preview();
  });
  addStep.addEventListener('click', function () {
    var copy = steps.lastElementChild.cloneNode(true);
    copy.querySelector('select').value = '';
    copy.querySelector('input[name="within"]').value = '';
    copy.querySelector('input[name="directly"]').checked = false;
    steps.appendChild(copy);
    renumber();
  });
  // Segments: rows added and removed in place (at most 4, as the spec takes); a removal previews.
  listRows(funnelForm);
  var segmentList = funnelForm.querySelector('ol.rows[data-prefix="segments"]');
  var addSegment = segmentList && segmentList.parentElement.querySelector(':scope > .row-add');
  function capSegments() {
    if (addSegment) addSegment.hidden = segmentList.querySelectorAll(':scope > .row').length >= 4;
  }
  capSegments();
  funnelForm.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) return;
    capSegments();
    if (button.classList.contains('row-remove')) preview();
  });
  funnelForm.addEventListener('change', preview);
  funnelForm.addEventListener('submit', function (event) {
    event.preventDefault();
    history.replaceState(null, '', '/funnel?' + queryString());
    preview(true);
  });
  function setFunnelQuery() {
    saveForms.forEach(function (form) {
      form.elements.namedItem('funnelQuery').value = queryString();
    });
  }
  setFunnelQuery();
})();
