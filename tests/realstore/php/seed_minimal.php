<?php
/**
 * A stand-in seed until tests/realstore/seed/seed.php exists: one product and three orders through WooCommerce's own
 * PHP API (so the Analytics import and every hook run). Arg: profile.
 */
$product = new WC_Product_Simple();
$product->set_name('Test mug');
$product->set_regular_price('12.50');
$product->set_manage_stock(true);
$product->set_stock_quantity(100);
$product->save();
$statuses = array('completed', 'processing', 'on-hold');
foreach ($statuses as $i => $status) {
    $order = wc_create_order();
    $order->add_product($product, $i + 1);
    $order->set_billing_email("guest$i@example.com");
    $order->set_billing_first_name('Zoë');
    $order->set_billing_country('DE' === WC()->countries->get_base_country() ? 'DE' : 'US');
    $order->set_billing_state('DE' === WC()->countries->get_base_country() ? '' : 'NY');
    $order->calculate_totals();
    $order->set_status($status);
    $order->save();
}
echo 'ok';
