/* The proposal form, enhanced (it works without this): a filter narrows the list of partner
   organisations as one types, and the district list offers the chosen organisation's town only.
   The server checks both whatever the page shows. Plain JavaScript, no libraries. */
(function () {
  "use strict";
  var form = document.querySelector("[data-proposal-form]");
  if (!form) {
    return;
  }

  var filter = form.querySelector("[data-partner-filter]");
  if (filter) {
    var input = filter.querySelector("input");
    var count = filter.querySelector("[aria-live]");
    var rows = form.querySelectorAll("[data-partner]");
    var template = count.getAttribute("data-template") || "";
    filter.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLocaleLowerCase().trim();
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var box = rows[i].querySelector("input");
        var match = !words || box.checked || rows[i].textContent.toLocaleLowerCase().indexOf(words) !== -1;
        rows[i].hidden = !match;
        shown += match ? 1 : 0;
      }
      count.textContent = words ? template.replace("%(shown)s", shown).replace("%(total)s", rows.length) : "";
    });
  }

  var towns = document.getElementById("organisation-towns");
  var organisation = form.querySelector('select[name="organisation"]');
  var district = form.querySelector('select[name="district"]');
  if (towns && organisation && district) {
    towns = JSON.parse(towns.textContent);
    var known = {};
    for (var key in towns) {
      known[towns[key]] = true;
    }
    var follow = function () {
      var town = towns[organisation.value];
      var groups = district.querySelectorAll("optgroup");
      for (var i = 0; i < groups.length; i++) {
        var other = town !== undefined && groups[i].label !== town && known[groups[i].label] === true;
        groups[i].disabled = other;
        groups[i].hidden = other;
        if (other && groups[i].contains(district.selectedOptions[0])) {
          district.value = "";
        }
      }
    };
    organisation.addEventListener("change", follow);
    follow();
  }
})();
