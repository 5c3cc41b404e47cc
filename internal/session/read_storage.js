// The local storage of the page's origin, as [{name, value}] in key order.
() => {
  const out = [];
  for (let i = 0; i < localStorage.length; i++) {
    const name = localStorage.key(i);
    out.push({name, value: localStorage.getItem(name)});
  }
  return out;
}
