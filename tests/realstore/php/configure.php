<?php
/**
 * Applies a store profile, given as JSON on stdin:
 * {"options": {name: value}, "delete_options": [name], "tax_rates": [{country, state, rate, name, class, priority,
 *  shipping}], "permalink_structure": "/%postname%/"}
 * Runs in a process where WooCommerce is already active, so its rewrite rules (/wc-auth/, /wc-api/) get flushed.
 */
$profile = json_decode(stream_get_contents(STDIN), true);
foreach ($profile['options'] as $name => $value) {
    update_option($name, $value);
}
foreach ($profile['delete_options'] ?? array() as $name) {
    delete_option($name);
}
foreach ($profile['tax_rates'] as $order => $rate) {
    WC_Tax::_insert_tax_rate(
        array(
            'tax_rate_country'  => $rate['country'],
            'tax_rate_state'    => $rate['state'] ?? '',
            'tax_rate'          => $rate['rate'],
            'tax_rate_name'     => $rate['name'],
            'tax_rate_priority' => $rate['priority'] ?? 1,
            'tax_rate_compound' => 0,
            'tax_rate_shipping' => $rate['shipping'] ? 1 : 0,
            'tax_rate_order'    => $order,
            'tax_rate_class'    => $rate['class'] ?? '',
        )
    );
}
global $wp_rewrite;
$wp_rewrite->set_permalink_structure($profile['permalink_structure']);
flush_rewrite_rules(true);
echo 'ok';
