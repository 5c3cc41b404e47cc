function(sel) {
  /*@prelude*/
  return [this, ...deepAll(this)].filter(el => el.matches && el.matches(sel));
}
