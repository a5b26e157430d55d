/* The pledge form, enhanced (it works without this): once a kind is chosen, only that kind's
   fieldset stays on screen. The server asks for the chosen kind's fields only, whatever is shown. */
(function () {
  "use strict";
  var form = document.querySelector("[data-pledge-form]");
  if (!form) {
    return;
  }
  var radios = form.querySelectorAll('input[name="kind"]');
  var sets = form.querySelectorAll("fieldset[data-kinds]");
  var hint = form.querySelector("[data-pledge-hint]");

  function show() {
    var chosen = form.querySelector('input[name="kind"]:checked');
    var kind = chosen ? chosen.value : "";
    for (var i = 0; i < sets.length; i++) {
      var kinds = sets[i].getAttribute("data-kinds").split(" ");
      sets[i].hidden = kinds.indexOf(kind) === -1;
    }
    if (hint) {
      hint.hidden = true;
    }
  }
  for (var i = 0; i < radios.length; i++) {
    radios[i].addEventListener("change", show);
  }
  show();
})();
