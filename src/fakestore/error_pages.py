"""The pages a broken site shows instead of WordPress's JSON: wp_die, nginx's own errors, a WAF challenge, a plain
(non-WordPress) home page. Bodies copied from real servers so clients are tested against what they really get."""

from __future__ import annotations


def nginx_page(title: str) -> bytes:
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
        "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    ).encode()


def wp_die_html(message: str, title: str) -> str:
    """WordPress's _default_wp_die_handler page (trimmed stylesheet), shared with the wc-auth screens."""
    return WP_DIE_TEMPLATE.replace("{title}", title).replace("{message}", message)


CRITICAL_ERROR_HTML = (
    "<p>There has been a critical error on this website.</p><p><a "
    'href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting '
    "WordPress.</a></p>"
)

WP_DIE_TEMPLATE = """<!DOCTYPE html>
<html lang="en-US">
<head>
	<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
		<meta name='robots' content='max-image-preview:large, noindex, follow' />
	<title>{title}</title>
	<style type="text/css">
		html {
			background: #f1f1f1;
		}
		body {
			background: #fff;
			border: 1px solid #ccd0d4;
			color: #444;
			font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Oxygen-Sans, Ubuntu, Cantarell, "Helvetica Neue", sans-serif;
			margin: 2em auto;
			padding: 1em 2em;
			max-width: 700px;
			-webkit-box-shadow: 0 1px 1px rgba(0, 0, 0, .04);
			box-shadow: 0 1px 1px rgba(0, 0, 0, .04);
		}
		#error-page {
			margin-top: 50px;
		}
		#error-page p,
		#error-page .wp-die-message {
			font-size: 14px;
			line-height: 1.5;
			margin: 25px 0 20px;
		}
	</style>
</head>
<body id="error-page">
	<div class="wp-die-message">{message}</div></body>
</html>
	"""  # noqa: E501

CLOUDFLARE_CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge"><meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1"><style>*{box-sizing:border-box;margin:0;padding:0}html{line-height:1.15;-webkit-text-size-adjust:100%;color:#313131;font-family:system-ui,-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial}</style><meta http-equiv="refresh" content="390"></head><body class="no-js"><div class="main-wrapper" role="main"><div class="main-content"><noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript></div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "store.example",cType: 'managed',cRay: '{ray}',cH: 'x',cUPMDTk: "\\/wp-json\\/?__cf_chl_tk=x",cFPWv: 'b',cITimeS: '1700000000'};var cpo=document.createElement('script');cpo.src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray={ray}';document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>"""  # noqa: E501

PLAIN_HOME = b"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme Widgets</title></head>
<body><h1>Acme Widgets</h1><p>Hand-made widgets since 1998. Call us to order.</p></body>
</html>
"""

NGINX_404 = nginx_page("404 Not Found")
