function() { this.off(); return this.state; }
