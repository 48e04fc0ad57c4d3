// A source's page follows its harvest without a reload: while a harvest is asked for or
// running, progress.json is read every two seconds and its sentence shown in the status
// region (announced politely to screen readers).  Without script, the page still says
// where things stood when it was loaded.
(function () {
  "use strict";
  var region = document.getElementById("progress");
  if (!region) {
    return;
  }
  var url = region.getAttribute("data-progress");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        region.textContent = state.sentence;
        region.setAttribute("data-active", state.active ? "yes" : "no");
        if (state.active) {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (region.getAttribute("data-active") === "yes") {
    poll();
  }
})();
