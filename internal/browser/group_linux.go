package browser

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the browser in a process group of its own, which stop
// kills in one call (its helpers inherit the group), and kills it when the
// bot dies, as chromedp does by default. A Ctrl-C in a terminal then
// reaches the bot alone, which stops the browser once the run is written
// up, instead of the browser quitting under the run.
func ownGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = new(syscall.SysProcAttr)
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}

// killGroup sends SIGKILL to the process group that pid leads.
func killGroup(pid int) { _ = syscall.Kill(-pid, syscall.SIGKILL) }
