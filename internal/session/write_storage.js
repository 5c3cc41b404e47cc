// Puts [{name, value}] into the local storage of the page's origin and
// returns how many entries were written.
(items) => {
  for (const it of items) {
    localStorage.setItem(it.name, it.value);
  }
  return items.length;
}
