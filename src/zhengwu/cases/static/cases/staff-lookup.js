// 窗口接件: fill the applicant form from an earlier application with the same ID number / USCC.
(function () {
  "use strict";
  var button = document.getElementById("lookup-button");
  var out = document.getElementById("lookup-result");
  if (!button || !out) return;
  function set(id, value) {
    var el = document.getElementById(id);
    if (el && value) el.value = value;
  }
  button.addEventListener("click", function () {
    var id = document.getElementById("id_id_number").value.trim();
    if (!id) { out.textContent = button.dataset.empty; return; }
    fetch(button.dataset.url + "?id_number=" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.found) { out.textContent = button.dataset.none; return; }
        var a = data.applicant;
        set("id_name", a.name);
        set("id_phone", a.phone);
        set("id_address", a.address);
        set("id_contact_name", a.contact_name);
        var kind = document.querySelector('input[name="kind"][value="' + a.kind + '"]');
        if (kind) kind.checked = true;
        out.textContent = button.dataset.found;
      })
      .catch(function () { out.textContent = button.dataset.failed; });
  });
})();
