/* global document, window, CSS */
// The Explore page: only the chosen analysis's fieldset is shown (without script, all are, each
// labelled), and the answer's charts are drawn from the options the server built with the
// reports' own chart builders. A Sankey node clicked opens the paths started at that node.
(function () {
  'use strict';
  var form = document.getElementById('explore-form');
  if (!form) return;
  var select = document.getElementById('explore-analysis');
  var sets = form.querySelectorAll('fieldset.analysis-fields');
  function showChosen() {
    sets.forEach(function (set) {
      set.hidden = set.dataset.analysis !== select.value;
    });
  }
  select.addEventListener('change', showChosen);
  showChosen();

  // Labels as wide as a column of the box allows, so they truncate instead of overlapping; the
  // last column's labels sit left of its nodes, sharing the last gap with the column before.
  function sizeSankeyLabels(option, boxWidth) {
    var columns = Math.max(1, (option.graphic || []).length);
    var width = Math.max(48, Math.floor(boxWidth / columns) - 28);
    option.series[0].label.width = width;
    option.series[0].data.forEach(function (node) {
      node.label.width =
        columns > 1 && node.depth >= columns - 2 ? Math.max(36, Math.floor(width / 2) - 4) : width;
    });
  }

  var data = document.getElementById('explore-charts');
  if (!data || !window.echarts) return;
  var options = JSON.parse(data.textContent || '{}');
  document.querySelectorAll('#explore-result .chart[data-option]').forEach(function (box) {
    var option = options[box.dataset.option];
    if (!option) return;
    var chart = window.echarts.init(box, null, { renderer: 'svg' });
    var sankey = box.dataset.option === 'sankey';
    if (sankey)
      chart.on('click', function (params) {
        if (params.dataType !== 'node') return;
        var link = document.querySelector(
          '#paths-nodes a.focus[data-node="' + CSS.escape(params.name) + '"]',
        );
        if (link) window.location.assign(link.href);
      });
    // Drawn at once, not grown: what is on screen is the answer, not a frame of an animation.
    option.animation = false;
    var draw = function () {
      if (sankey) sizeSankeyLabels(option, box.clientWidth);
      chart.setOption(option, true);
      chart.resize();
    };
    draw();
    window.addEventListener('resize', draw);
  });
})();
