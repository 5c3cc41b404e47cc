// Removes every mask and frame the bot drew.
document.querySelectorAll("[data-portalbot-overlay]").forEach(e => e.remove())
