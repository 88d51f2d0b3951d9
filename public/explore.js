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

  var data = document.getElementById('explore-charts');
  if (!data || !window.echarts) return;
  var options = JSON.parse(data.textContent || '{}');
  document.querySelectorAll('#explore-result .chart[data-option]').forEach(function (box) {
    var option = options[box.dataset.option];
    if (!option) return;
    var chart = window.echarts.init(box, null, { renderer: 'svg' });
    if (box.dataset.option === 'sankey') {
      // Labels as wide as a column of this box allows, so they truncate instead of overlapping.
      var columns = Math.max(1, (option.graphic || []).length);
      var width = Math.max(48, Math.floor(box.clientWidth / columns) - 28);
      option.series[0].label.width = width;
      // The last column's labels sit left of its nodes, sharing the last gap with the column before.
      option.series[0].data.forEach(function (node) {
        if (columns > 1 && node.depth >= columns - 2)
          node.label.width = Math.max(40, Math.floor(width / 2) - 4);
      });
      chart.on('click', function (params) {
        if (params.dataType !== 'node') return;
        var link = document.querySelector(
          '#paths-nodes a.focus[data-node="' + CSS.escape(params.name) + '"]',
        );
        if (link) window.location.assign(link.href);
      });
    }
    // Drawn at once, not grown: what is on screen is the answer, not a frame of an animation.
    option.animation = false;
    chart.setOption(option, true);
    window.addEventListener('resize', function () {
      chart.resize();
    });
  });
})();
