<?php
/**
 * What differs on every run, also after a restore from the cache: the admin's password, the site URL options and
 * two REST keys for the admin, created as WooCommerce's approval screen would (hashed key, clear secret).
 * Args: admin_user admin_password url. Prints {"read_write": [ck, cs], "read": [ck, cs], "admin_id": n}.
 */
global $wpdb;
[, $user_login, $password, $url] = $argv;
$admin = get_user_by('login', $user_login);
wp_set_password($password, $admin->ID);
update_option('siteurl', $url);
update_option('home', $url);
$keys = array('admin_id' => $admin->ID);
foreach (array('read_write', 'read') as $permissions) {
    $consumer_key = 'ck_' . wc_rand_hash();
    $consumer_secret = 'cs_' . wc_rand_hash();
    $wpdb->insert(
        $wpdb->prefix . 'woocommerce_api_keys',
        array(
            'user_id'         => $admin->ID,
            'description'     => "Storelens tests ($permissions)",
            'permissions'     => $permissions,
            'consumer_key'    => wc_api_hash($consumer_key),
            'consumer_secret' => $consumer_secret,
            'truncated_key'   => substr($consumer_key, -7),
        ),
        array('%d', '%s', '%s', '%s', '%s', '%s')
    );
    $keys[$permissions] = array($consumer_key, $consumer_secret);
}
echo wp_json_encode($keys);
