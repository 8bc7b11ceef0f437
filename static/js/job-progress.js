// Polls a running job's status and updates the progress bar; reloads the
// page once the job has ended. Without JavaScript the page has a link to refresh.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  var url = box.dataset.statusUrl;
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.finished) { window.location.reload(); return; }
        var bar = document.getElementById("job-progress");
        var text = document.getElementById("job-progress-text");
        var status = document.getElementById("job-status");
        if (bar) bar.value = data.percent;
        if (text && data.total) text.textContent = data.done + " / " + data.total;
        if (status) status.textContent = data.status_label;
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
