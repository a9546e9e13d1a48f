<?php
/**
 * Plugin Name: Storelens tests: no outgoing mail
 * Description: Short-circuits wp_mail (pre_wp_mail) so the test store never tries to send; each message is appended
 * as a JSON line to wp-content/storelens-mail.log for tests that want to see it.
 */

add_filter(
    'pre_wp_mail',
    static function ($short_circuit, $atts) {
        $line = wp_json_encode(array('to' => $atts['to'], 'subject' => $atts['subject'], 'time' => gmdate('c')));
        file_put_contents(WP_CONTENT_DIR . '/storelens-mail.log', $line . "\n", FILE_APPEND | LOCK_EX);
        return true;
    },
    10,
    2
);
