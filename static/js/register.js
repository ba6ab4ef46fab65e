/* The registration form (templates/disputes/register.html): the court's fields shown for a pushed
   case only, each party's fields by its kind and role, parties added from a template, one click per
   registration. */
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  if (!form) return;
  var source = form.querySelector("[name=source]");
  var push = form.querySelector("[data-when-source]");
  function syncSource() { push.hidden = source.value !== push.getAttribute("data-when-source"); }
  source.addEventListener("change", syncSource);
  syncSource();

  function syncParty(card) {
    var kind = card.querySelector("[name$='-kind']").value;
    var role = card.querySelector("[name$='-role']").value;
    card.querySelectorAll("[data-for-kind]").forEach(function (el) { el.hidden = el.getAttribute("data-for-kind") !== kind; });
    card.querySelectorAll("[data-for-role]").forEach(function (el) { el.hidden = el.getAttribute("data-for-role") !== role; });
  }
  form.addEventListener("change", function (event) {
    var card = event.target.closest(".party");
    if (card) { syncParty(card); }
  });
  form.querySelectorAll(".party").forEach(syncParty);

  // One click, one registration: a second click while the first is on its way does nothing.
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
  });

  var total = form.querySelector("[name=parties-TOTAL_FORMS]");
  var template = document.getElementById("party-template");
  document.getElementById("add-party").addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1);
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var card = holder.firstElementChild;
    document.getElementById("parties").appendChild(card);
    total.value = index + 1;
    syncParty(card);
    card.querySelector("[name$='-role']").focus();
  });
})();
