// The page's origin and its local storage, as {origin, items: [{name, value}]}
// in key order.
() => {
  const items = [];
  for (let i = 0; i < localStorage.length; i++) {
    const name = localStorage.key(i);
    items.push({name, value: localStorage.getItem(name)});
  }
  return {origin: location.origin, items};
}
