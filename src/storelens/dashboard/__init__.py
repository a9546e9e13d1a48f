"""The pages: the shell (base template, navigation, stylesheet), the dashboard and the settings page."""
